// Runs one Claude Agent SDK task against AgentHost and prints one JSON line per result:
//   node drive.mjs <AgentHost base URL without /v1> <working directory> <model> <prompt> [<session id to resume>]
// As root, Claude Code refuses to bypass permissions, so edits are accepted and the tools allowed by name.
// An error the SDK throws instead of reporting it in a result is printed the same way, as `thrown`.
import { query } from '@anthropic-ai/claude-agent-sdk';

const [baseUrl, cwd, model, prompt, resume] = process.argv.slice(2);
const home = `${cwd}/.home`;
try {
  for await (const message of query({
    prompt,
    options: {
      cwd,
      model,
      permissionMode: 'acceptEdits',
      allowedTools: ['Read', 'Edit'],
      ...(resume ? { resume } : {}),
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ANTHROPIC_BASE_URL: baseUrl,
        ANTHROPIC_API_KEY: 'sk-agenthost-test',
        CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      },
    },
  })) {
    if (message.type === 'result') {
      console.log(JSON.stringify({
        subtype: message.subtype,
        result: message.result ?? null,
        session_id: message.session_id,
        is_error: message.is_error ?? false,
        errors: message.errors ?? null,
      }));
    }
  }
} catch (error) {
  console.log(JSON.stringify({ thrown: String(error?.message ?? error) }));
}
