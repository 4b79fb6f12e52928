import { initKey } from './api.js';
import { esc } from './format.js';
import { assistantsView } from './views/assistants.js';
import { threadsView, threadView } from './views/threads.js';
import { runView } from './views/run.js';
import { usageView } from './views/usage.js';
import { sessionsView, sessionView } from './views/sessions.js';
import { playgroundView } from './views/playground.js';
import { messageThreadsView, messageThreadView } from './views/message-threads.js';
import { agentSessionsView, agentSessionView } from './views/agent-sessions.js';

// Hash routes: #/assistants, #/threads, #/threads/{id}, #/threads/{id}/runs/{id}, #/sessions, #/sessions/{id},
// #/message-threads, #/message-threads/{message id}, #/agent-sessions, #/agent-sessions/{id}, #/usage, #/playground.
const routes = [
  [/^#\/assistants$/, () => assistantsView()],
  [/^#\/threads$/, () => threadsView()],
  [/^#\/threads\/([^/]+)$/, (m) => threadView(m[1])],
  [/^#\/threads\/([^/]+)\/runs\/([^/]+)$/, (m) => runView(m[1], m[2])],
  [/^#\/sessions$/, () => sessionsView()],
  [/^#\/sessions\/(.+)$/, (m) => sessionView(decodeURIComponent(m[1]))],
  [/^#\/message-threads$/, () => messageThreadsView()],
  [/^#\/message-threads\/(.+)$/, (m) => messageThreadView(decodeURIComponent(m[1]))],
  [/^#\/agent-sessions$/, () => agentSessionsView()],
  [/^#\/agent-sessions\/(.+)$/, (m) => agentSessionView(decodeURIComponent(m[1]))],
  [/^#\/usage$/, () => usageView()],
  [/^#\/playground(?:\/(.+))?$/, (m) => playgroundView(m[1])],
];

async function render() {
  const hash = location.hash || '#/assistants';
  const view = document.getElementById('view');
  for (const link of document.querySelectorAll('header nav a')) {
    link.classList.toggle('active', hash.startsWith(link.getAttribute('href')));
  }
  for (const [pattern, show] of routes) {
    const match = pattern.exec(hash);
    if (match) {
      view.innerHTML = '<p class="muted">Loading…</p>';
      try {
        await show(match, view);
      } catch (error) {
        view.innerHTML = `<div class="error-box">${esc(error.message)}</div>`;
      }
      return;
    }
  }
  location.hash = '#/assistants';
}

initKey();
window.addEventListener('hashchange', render);
document.getElementById('api-key').addEventListener('change', render);
render();
