// Runs one OpenAI Agents SDK scenario against AgentHost in the SDK's default (Responses) mode and prints one JSON line:
//   node drive.mjs <AgentHost base URL with /v1> <model> <tool | handoff | stream | reasoning>
// The SDK is used unchanged: only its OpenAI base URL and key come from the environment, and tracing export is off
// (there is no internet).
import { Agent, run, tool } from '@openai/agents';
import { z } from 'zod';

const [baseUrl, model, scenario] = process.argv.slice(2);
process.env.OPENAI_BASE_URL = baseUrl;
process.env.OPENAI_API_KEY = 'sk-agenthost-test';
process.env.OPENAI_AGENTS_DISABLE_TRACING = '1';

const getWeather = tool({
  name: 'get_weather',
  description: 'The weather in a city.',
  parameters: z.object({ city: z.string() }),
  execute: async ({ city }) => `sunny and 21C in ${city}`,
});

const weatherAgent = new Agent({ name: 'Weather agent', model, instructions: 'Answer weather questions with the tool.', tools: [getWeather] });

async function main() {
  switch (scenario) {
    case 'tool': {
      const result = await run(weatherAgent, 'What is the weather in Oslo?');
      const outputs = result.newItems.filter((i) => i.type === 'tool_call_output_item').map((i) => i.output);
      return { final: result.finalOutput, tool_outputs: outputs, last_response_id: result.lastResponseId ?? null };
    }
    case 'handoff': {
      const spanish = new Agent({ name: 'Spanish agent', model, instructions: 'Answer only in Spanish.', handoffDescription: 'Speaks Spanish.' });
      const triage = new Agent({ name: 'Triage agent', model, instructions: 'Hand Spanish speakers to the Spanish agent.', handoffs: [spanish] });
      const result = await run(triage, 'Hola, ¿cómo estás?');
      return { final: result.finalOutput, last_agent: result.lastAgent?.name ?? null };
    }
    case 'stream': {
      const result = await run(weatherAgent, 'What is the weather in Oslo?', { stream: true });
      const deltas = [];
      for await (const text of result.toTextStream()) {
        deltas.push(text);
      }
      await result.completed;
      return { final: result.finalOutput, streamed: deltas.join(''), deltas: deltas.length };
    }
    case 'reasoning': {
      // Stateless (store: false): the SDK hands each response's reasoning item back with its encrypted_content.
      const thinker = new Agent({
        name: 'Thinking weather agent', model, instructions: 'Answer weather questions with the tool.', tools: [getWeather],
        modelSettings: { reasoning: { effort: 'medium', summary: 'auto' }, store: false },
      });
      const result = await run(thinker, 'What is the weather in Oslo?');
      const reasoning = result.newItems.filter((i) => i.type === 'reasoning_item').map((i) => i.rawItem.content.map((c) => c.text).join(''));
      return { final: result.finalOutput, reasoning };
    }
    default:
      throw new Error(`unknown scenario ${scenario}`);
  }
}

console.log(JSON.stringify(await main()));
