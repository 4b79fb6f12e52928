// Runs the Anthropic SDK's own agent loop, client.beta.messages.toolRunner, unchanged against AgentHost: the SDK
// holds the conversation in a Messages thread, so each turn after the first sends only its new messages.
//   node tool-runner.mjs <AgentHost base URL without /v1> <model> <stream: true|false>
// Prints one JSON line: the id of each reply, the inputs the tool ran with, and the final text.
import Anthropic from '@anthropic-ai/sdk';
import { betaTool } from '@anthropic-ai/sdk/helpers/beta/json-schema';

const [baseURL, model, stream] = process.argv.slice(2);
const client = new Anthropic({ baseURL, apiKey: 'sk-agenthost-test', maxRetries: 0 });
const inputs = [];
const square = betaTool({
  name: 'square',
  description: 'Squares a number.',
  inputSchema: { type: 'object', properties: { n: { type: 'number' } }, required: ['n'] },
  run: async ({ n }) => {
    inputs.push(n);
    return String(n * n);
  },
});

const runner = client.beta.messages.toolRunner({
  model,
  max_tokens: 1024,
  system: 'Use the square tool for every multiplication.',
  tools: [square],
  messages: [{ role: 'user', content: 'What is 3 squared, squared again?' }],
  stream: stream === 'true',
});

const ids = [];
for await (const item of runner) {
  const message = stream === 'true' ? await item.finalMessage() : item;
  ids.push(message.id);
}

const final = await runner.done();
const text = final.content.filter((block) => block.type === 'text').map((block) => block.text).join('');
console.log(JSON.stringify({ ids, inputs, text, stop_reason: final.stop_reason }));
