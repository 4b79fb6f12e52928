// Runs a tool-calling agent of the OpenAI Agents SDK in Chat Completions mode against AgentHost, unchanged: the SDK's
// own OpenAI client reaches AgentHost through OPENAI_BASE_URL, and trace export is off.
//   OPENAI_BASE_URL=<AgentHost base URL with /v1> node chat-completions-agent.mjs <model> <stream: true|false>
// Prints one JSON line: the agent's final output and the inputs the tool ran with.
import { Agent, run, tool, setOpenAIAPI, setTracingDisabled } from '@openai/agents';
import { z } from 'zod';

const [model, stream] = process.argv.slice(2);
setTracingDisabled(true);
setOpenAIAPI('chat_completions');

const inputs = [];
const square = tool({
  name: 'square',
  description: 'Squares a number.',
  parameters: z.object({ n: z.number() }),
  execute: async ({ n }) => {
    inputs.push(n);
    return String(n * n);
  },
});
const agent = new Agent({ name: 'Calculator', instructions: 'Use the square tool for every multiplication.', model, tools: [square] });

const result = await run(agent, 'What is 7 squared?', { stream: stream === 'true' });
if (stream === 'true') {
  for await (const _ of result) {
    // Drains the stream; the final output is read once it has completed.
  }
  await result.completed;
}

console.log(JSON.stringify({ final_output: result.finalOutput, inputs }));
