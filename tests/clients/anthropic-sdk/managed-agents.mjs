// Drives Claude Managed Agents on AgentHost with the Anthropic SDK's own client.beta.agents, environments and sessions.
//   node managed-agents.mjs <AgentHost base URL without /v1> <scenario> <JSON arguments>
// Prints one JSON line with what the scenario saw; AgentHost.Server.Tests asserts on it.
import Anthropic from '@anthropic-ai/sdk';

const [baseURL, scenario, rawArgs] = process.argv.slice(2);
const args = JSON.parse(rawArgs ?? '{}');
const client = new Anthropic({ baseURL, apiKey: 'sk-agenthost-test', maxRetries: 0, timeout: 60_000 });
const { agents, environments, sessions } = client.beta;

/** The error a call fails with, as the SDK reads it: status, error type, message and error code. */
async function errorOf(promise) {
  try {
    await promise;
    return null;
  } catch (e) {
    return { status: e.status ?? null, type: e.error?.error?.type ?? null, message: e.error?.error?.message ?? String(e), code: e.errorCode ?? null };
  }
}

async function all(page) {
  const items = [];
  for await (const item of page) items.push(item);
  return items;
}

const text = (t) => ({ type: 'user.message', content: [{ type: 'text', text: t }] });
const brief = (e) => ({ id: e.id, type: e.type, name: e.name, stop: e.stop_reason?.type, event_ids: e.stop_reason?.event_ids, tool_use_id: e.tool_use_id ?? e.custom_tool_use_id ?? e.mcp_tool_use_id, content: e.content, input: e.input, is_error: e.is_error, evaluated_permission: e.evaluated_permission, error: e.error?.type });

/**
 * Opens the session's stream, sends the events, and reads until the session idles with a stop reason other than
 * requires_action, answering each requires_action with onAction (which returns the events to send).
 */
async function converse(sessionId, events, onAction = async () => null, onEvent = async () => {}) {
  const stream = await sessions.events.stream(sessionId);
  const seen = [];
  await sessions.events.send(sessionId, { events });
  for await (const event of stream) {
    seen.push(event);
    await onEvent(event, seen);
    if (event.type !== 'session.status_idle') continue;
    if (event.stop_reason.type !== 'requires_action') break;
    const answers = await onAction(event, seen);
    if (!answers) break;
    await sessions.events.send(sessionId, { events: answers });
  }
  stream.controller.abort();
  return seen;
}

async function setup(tools, sessionExtra = {}) {
  const agent = await agents.create({ name: 'Helper', model: args.model, system: 'You help.', tools });
  const environment = await environments.create({ name: 'sandbox' });
  const session = await sessions.create({ agent: agent.id, environment_id: environment.id, ...sessionExtra });
  return { agent, environment, session };
}

const scenarios = {
  async api() {
    const agent = await agents.create({
      name: 'Coder', model: args.model, system: 'You write code.', metadata: { team: 'a' },
      tools: [
        { type: 'agent_toolset_20260401', configs: [{ name: 'bash', permission_policy: { type: 'always_ask' } }] },
        { type: 'custom', name: 'lookup', description: 'Looks things up.', input_schema: { type: 'object', properties: { q: { type: 'string' } } } },
      ],
    });
    const updated = await agents.update(agent.id, { version: 1, system: 'You write good code.', metadata: { team: null, lang: 'c#' } });
    const unchanged = await agents.update(agent.id, { system: 'You write good code.' });
    const first = await agents.retrieve(agent.id, { version: 1 });
    const versions = (await all(agents.versions.list(agent.id))).map((v) => v.version);
    const stale = await errorOf(agents.update(agent.id, { version: 1, name: 'Stale' }));
    const auto = await errorOf(agents.create({ name: 'A', model: args.model, tools: [{ type: 'agent_toolset_20260401', default_config: { permission_policy: { type: 'auto' } } }] }));
    const multiagent = await errorOf(agents.create({ name: 'M', model: args.model, multiagent: { type: 'coordinator', agents: [] } }));
    const unknownModel = await errorOf(agents.create({ name: 'U', model: 'no-such-model-anywhere' }));

    const environment = await environments.create({ name: 'sandbox', metadata: { tier: 'dev' } });
    const renamed = await environments.update(environment.id, { name: 'sandbox-2', config: { type: 'cloud', packages: { apt: ['bash'] } } });
    const limited = await errorOf(environments.create({ name: 'net', config: { type: 'cloud', networking: { type: 'limited', allowed_hosts: ['pypi.org'] } } }));
    const unrestricted = await errorOf(environments.create({ name: 'net', config: { type: 'cloud', networking: { type: 'unrestricted' } } }));
    const missingPackage = await errorOf(environments.create({ name: 'pkg', config: { type: 'cloud', packages: { apt: ['agenthost-no-such-package'] } } }));
    const npmPackage = await errorOf(environments.create({ name: 'pkg', config: { type: 'cloud', packages: { npm: ['left-pad'] } } }));
    const environmentList = (await all(environments.list())).map((e) => e.id);

    const session = await sessions.create({
      agent: agent.id, environment_id: environment.id, title: 'First', metadata: { k: 'v' },
      resources: [{ type: 'file', file_id: args.fileId }], budget: { type: 'limit', max_list_cost: { amount: '2500', currency: 'USD' } },
    });
    const resources = await all(sessions.resources.list(session.id));
    const pinned = await sessions.create({ agent: { type: 'agent', id: agent.id, version: 1 }, environment_id: environment.id });
    const overridden = await sessions.create({ agent: { type: 'agent_with_overrides', id: agent.id, system: 'Overridden.' }, environment_id: environment.id });
    const retitled = await sessions.update(session.id, { title: 'Renamed', metadata: { k: null, j: 'w' } });
    const memory = await errorOf(sessions.create({ agent: agent.id, environment_id: environment.id, resources: [{ type: 'memory_store', memory_store_id: 'memstore_1' }] }));
    const vaults = await errorOf(sessions.create({ agent: agent.id, environment_id: environment.id, vault_ids: ['vlt_1'] }));
    const missingFile = await errorOf(sessions.create({ agent: agent.id, environment_id: environment.id, resources: [{ type: 'file', file_id: 'file-missing' }] }));
    const missingSession = await errorOf(sessions.retrieve('sesn_missing'));
    const outcome = await errorOf(sessions.events.send(session.id, { events: [{ type: 'user.define_outcome', description: 'd', rubric: { type: 'text', content: 'r' } }] }));
    const noPending = await errorOf(sessions.events.send(session.id, { events: [{ type: 'user.custom_tool_result', custom_tool_use_id: 'sevt_x', content: [] }] }));
    const sessionList = (await all(sessions.list({ agent_id: agent.id }))).map((s) => s.id);

    const doomed = await environments.create({ name: 'doomed' });
    await environments.archive(doomed.id);
    const archivedEnvironment = await errorOf(sessions.create({ agent: agent.id, environment_id: doomed.id }));
    const deletedEnvironment = await environments.delete(doomed.id);
    await agents.archive(agent.id);
    const listedAfterArchive = (await all(agents.list())).map((a) => a.id);
    const listedWithArchived = (await all(agents.list({ include_archived: true }))).map((a) => a.id);
    const archivedAgent = await errorOf(sessions.create({ agent: agent.id, environment_id: environment.id }));
    const deleted = await sessions.delete(pinned.id);
    const noBeta = await fetch(`${baseURL}/v1/agents`, { headers: { 'x-api-key': 'k', 'anthropic-version': '2023-06-01' } });

    return {
      agent, updated, unchanged, first, versions, stale, auto, multiagent, unknownModel,
      environment, renamed, limited, unrestricted, missingPackage, npmPackage, environmentList,
      session, resources, pinned, overridden, retitled, memory, vaults, missingFile, missingSession, outcome, noPending, sessionList,
      archivedEnvironment, deletedEnvironment, listedAfterArchive, listedWithArchived, archivedAgent, deleted,
      noBeta: { status: noBeta.status, body: await noBeta.json() },
    };
  },

  async custom() {
    const { session } = await setup([
      { type: 'custom', name: 'lookup', description: 'Looks up a fact.', input_schema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
    ]);
    const streamed = await converse(session.id, [text('What is the capital of France?')], async (idle, seen) => {
      const use = seen.find((e) => e.id === idle.stop_reason.event_ids[0]);
      return [{ type: 'user.custom_tool_result', custom_tool_use_id: use.id, content: [{ type: 'text', text: `capital(${use.input.q}) = Paris` }] }];
    });
    const listed = await all(sessions.events.list(session.id));
    const page = await sessions.events.list(session.id, { limit: 2 });
    const types = await all(sessions.events.list(session.id, { types: ['agent.message', 'user.message'] }));
    return { session: await sessions.retrieve(session.id), streamed: streamed.map(brief), listed: listed.map(brief), firstPage: page.data.map((e) => e.id), hasMore: page.has_more ?? page.hasNextPage(), types: types.map((e) => e.type) };
  },

  async confirm() {
    const { session } = await setup([
      { type: 'agent_toolset_20260401', default_config: { permission_policy: { type: 'always_ask' } } },
    ]);
    const allowed = await converse(session.id, [text('Say hi with bash.')], async (idle) =>
      idle.stop_reason.event_ids.map((id) => ({ type: 'user.tool_confirmation', tool_use_id: id, result: 'allow' })));
    const denied = await converse(session.id, [text('Now delete everything.')], async (idle) =>
      idle.stop_reason.event_ids.map((id) => ({ type: 'user.tool_confirmation', tool_use_id: id, result: 'deny', deny_message: 'Not on my machine.' })));
    return { allowed: allowed.map(brief), denied: denied.map(brief), session: await sessions.retrieve(session.id) };
  },

  async interrupt() {
    const { session } = await setup([{ type: 'agent_toolset_20260401' }]);
    let interruptedAt = null;
    const first = await converse(session.id, [text('Wait a long time.')], async () => null, async (event) => {
      if (event.type === 'agent.tool_use' && interruptedAt === null) {
        interruptedAt = event.id;
        await fetch(`${args.signal}`);
        await sessions.events.send(session.id, { events: [{ type: 'user.interrupt' }] });
      }
    });
    const second = await converse(session.id, [text('Never mind. Say done.')]);
    return { first: first.map(brief), second: second.map(brief), session: await sessions.retrieve(session.id) };
  },

  async budget() {
    const { session } = await setup([], { budget: { type: 'limit', max_list_cost: { amount: '100', currency: 'USD' } } });
    const first = await converse(session.id, [text('Think hard.')]);
    const second = await converse(session.id, [text('Again.')]);
    return { first: first.map(brief), second: second.map(brief), session: await sessions.retrieve(session.id) };
  },

  /** The real agent toolset in a session's workspace: files written, edited and read; a long command interrupted. */
  async workspace() {
    const { session } = await setup([{ type: 'agent_toolset_20260401' }], { resources: [{ type: 'file', file_id: args.fileId }] });
    const work = await converse(session.id, [text('Make a shopping list from my notes.')]);
    let interruptedAt = null;
    const long = await converse(session.id, [text('Now wait for a minute.')], async () => null, async (event) => {
      if (event.type === 'agent.tool_use' && interruptedAt === null) {
        interruptedAt = event.id;
        await fetch(`${args.signal}`);
        await sessions.events.send(session.id, { events: [{ type: 'user.interrupt' }] });
      }
    });
    return { work: work.map(brief), long: long.map(brief), session: await sessions.retrieve(session.id) };
  },

  /** Three turns of long messages in one session: the history fills the (small) context limit and is compacted. */
  async compact() {
    const { session } = await setup([]);
    const turns = [];
    for (const message of args.messages) turns.push((await converse(session.id, [text(message)])).map(brief));
    const listed = await all(sessions.events.list(session.id));
    const compacted = listed.filter((e) => e.type === 'agent.thread_context_compacted').map((e) => Object.keys(e).sort());
    return { turns, listed: listed.map(brief), compacted, session: await sessions.retrieve(session.id) };
  },

  /** An agent with an MCP server: its tools ask first by default (allowed, then denied); get-sum is configured to run unasked. */
  async mcp() {
    const agent = await agents.create({
      name: 'Tools', model: args.model, system: 'You use tools.',
      mcp_servers: [{ type: 'url', name: 'remote', url: args.url }],
      tools: [{ type: 'mcp_toolset', mcp_server_name: 'remote', configs: [{ name: 'get-sum', permission_policy: { type: 'always_allow' } }] }],
    });
    const environment = await environments.create({ name: 'sandbox' });
    const session = await sessions.create({ agent: agent.id, environment_id: environment.id });
    const asked = await converse(session.id, [text('Echo hi.')], async (idle) =>
      idle.stop_reason.event_ids.map((id) => ({ type: 'user.tool_confirmation', tool_use_id: id, result: 'allow' })));
    const denied = await converse(session.id, [text('Echo secrets.')], async (idle) =>
      idle.stop_reason.event_ids.map((id) => ({ type: 'user.tool_confirmation', tool_use_id: id, result: 'deny', deny_message: 'Not that.' })));
    const unasked = await converse(session.id, [text('Add 2 and 3.')]);
    const raw = (await all(sessions.events.list(session.id))).filter((e) => e.type.startsWith('agent.mcp_'));
    return { asked: asked.map(brief), denied: denied.map(brief), unasked: unasked.map(brief), raw, session: await sessions.retrieve(session.id) };
  },

  /** A custom tool use the session waits on: returns the session and the use it waits for (the caller restarts AgentHost). */
  async pause() {
    const { session } = await setup([
      { type: 'custom', name: 'lookup', description: 'Looks up a fact.', input_schema: { type: 'object', properties: { q: { type: 'string' } } } },
    ]);
    const seen = await converse(session.id, [text('What is the capital of France?')]);
    return { session: session.id, waiting: seen[seen.length - 1].stop_reason.event_ids, stop: seen[seen.length - 1].stop_reason.type };
  },

  /** Answers the use a paused session waits on and reads the turn to its end. */
  async answer() {
    const before = await sessions.retrieve(args.session);
    const streamed = await converse(args.session, [{ type: 'user.custom_tool_result', custom_tool_use_id: args.use, content: [{ type: 'text', text: 'Paris' }] }]);
    const listed = await all(sessions.events.list(args.session));
    return { before: before.status, streamed: streamed.map(brief), listed: listed.map(brief), session: await sessions.retrieve(args.session) };
  },

  /** Two streams on one turn: one asking for previews (event_deltas), one not; and a stream asking for an unknown preview type. */
  async deltas() {
    const { session } = await setup([]);
    const read = async (stream) => {
      const seen = [];
      for await (const event of stream) {
        seen.push(event);
        if (event.type === 'session.status_idle') break;
      }
      stream.controller.abort();
      return seen;
    };
    const previewed = await sessions.events.stream(session.id, { event_deltas: args.deltas });
    const plain = await sessions.events.stream(session.id);
    await sessions.events.send(session.id, { events: [text('Think, then say something.')] });
    const [withDeltas, without] = await Promise.all([read(previewed), read(plain)]);
    const listed = await all(sessions.events.list(session.id));
    const unknown = await errorOf(sessions.events.stream(session.id, { event_deltas: ['agent.tool_use'] }));
    return { withDeltas, without: without.map((e) => e.type), listed: listed.map((e) => e.type), unknown };
  },

  /** Project A's key creates an agent, environment and session; project B's key must find none of them. */
  async isolation() {
    const as = (apiKey) => new Anthropic({ baseURL, apiKey, maxRetries: 0, timeout: 60_000 }).beta;
    const a = as(args.keyA);
    const b = as(args.keyB);
    const agent = await a.agents.create({ name: 'A only', model: args.model, system: 'You help A.' });
    const environment = await a.environments.create({ name: 'a-sandbox' });
    const session = await a.sessions.create({ agent: agent.id, environment_id: environment.id });
    const refused = {
      agent: await errorOf(b.agents.retrieve(agent.id)),
      agentVersions: await errorOf(all(b.agents.versions.list(agent.id))),
      agentUpdate: await errorOf(b.agents.update(agent.id, { version: 1, name: 'Taken' })),
      agentArchive: await errorOf(b.agents.archive(agent.id)),
      environment: await errorOf(b.environments.retrieve(environment.id)),
      environmentUpdate: await errorOf(b.environments.update(environment.id, { name: 'taken' })),
      environmentDelete: await errorOf(b.environments.delete(environment.id)),
      session: await errorOf(b.sessions.retrieve(session.id)),
      sessionEvents: await errorOf(all(b.sessions.events.list(session.id))),
      sessionSend: await errorOf(b.sessions.events.send(session.id, { events: [text('Hijack.')] })),
      sessionDelete: await errorOf(b.sessions.delete(session.id)),
      sessionWithAgent: await errorOf(b.sessions.create({ agent: agent.id, environment_id: environment.id })),
    };
    const listedByB = {
      agents: (await all(b.agents.list())).map((x) => x.id),
      environments: (await all(b.environments.list())).map((x) => x.id),
      sessions: (await all(b.sessions.list())).map((x) => x.id),
    };
    const stillA = {
      agent: (await a.agents.retrieve(agent.id)).name,
      environment: (await a.environments.retrieve(environment.id)).name,
      session: (await a.sessions.retrieve(session.id)).status,
      sessions: (await all(a.sessions.list())).map((x) => x.id),
    };
    return { ids: { agent: agent.id, environment: environment.id, session: session.id }, refused, listedByB, stillA };
  },

  /** Creates a session and starts a turn, without waiting: the caller restarts AgentHost mid-turn. */
  async start() {
    const { session } = await setup([]);
    await sessions.events.send(session.id, { events: [text('Work through a restart.')] });
    return { session: session.id };
  },

  /** After a restart: reads the session's events until it idles, then lists them. */
  async finish() {
    const deadline = Date.now() + 60_000;
    let listed = [];
    while (Date.now() < deadline) {
      listed = await all(sessions.events.list(args.session));
      if (listed.some((e) => e.type === 'session.status_idle')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    return { listed: listed.map(brief), session: await sessions.retrieve(args.session) };
  },
};

console.log(JSON.stringify(await scenarios[scenario]()));
