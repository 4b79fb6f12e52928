// Calls AgentHost's own API with the key the user typed (kept in localStorage, sent as a bearer token).
const keyInput = () => document.getElementById('api-key');

export function apiKey() {
  return keyInput()?.value || localStorage.getItem('agenthost.apiKey') || '';
}

export function initKey() {
  const input = keyInput();
  input.value = localStorage.getItem('agenthost.apiKey') || '';
  input.addEventListener('change', () => localStorage.setItem('agenthost.apiKey', input.value));
}

function headers(extra = {}) {
  const h = { 'OpenAI-Beta': 'assistants=v2', ...extra };
  if (apiKey()) h.Authorization = `Bearer ${apiKey()}`;
  return h;
}

export async function get(path) {
  const response = await fetch(`/v1/${path}`, { headers: headers() });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || response.statusText);
  return body;
}

// GETs an endpoint of a beta API (e.g. Managed Agents' managed-agents-2026-04-01), which requires its beta header.
export async function getBeta(path, beta) {
  const response = await fetch(`/v1/${path}`, { headers: headers({ 'anthropic-beta': beta }) });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || response.statusText);
  return body;
}

export async function post(path, payload) {
  const response = await fetch(`/v1/${path}`, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify(payload) });
  const body = await response.json();
  if (!response.ok) throw new Error(body?.error?.message || response.statusText);
  return body;
}

// POSTs with stream: true and calls onEvent(name, data) for each server-sent event until [DONE].
export async function stream(path, payload, onEvent) {
  const response = await fetch(`/v1/${path}`, { method: 'POST', headers: headers({ 'Content-Type': 'application/json' }), body: JSON.stringify({ ...payload, stream: true }) });
  if (!response.ok) {
    const body = await response.json().catch(() => ({}));
    throw new Error(body?.error?.message || response.statusText);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      const name = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (data === '[DONE]') return;
      if (name && data) onEvent(name, JSON.parse(data));
    }
  }
}
