// Small formatting helpers shared by the views.
export const esc = (value) => String(value ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
export const usd = (value) => (value === undefined || value === null ? '—' : `$${Number(value).toFixed(6)}`);
export const when = (seconds) => (seconds ? new Date(seconds * 1000).toISOString().replace('T', ' ').slice(0, 19) : '—');
export const ms = (value) => (value === undefined || value === null ? '—' : `${value} ms`);
export const pill = (status) => `<span class="pill ${esc(status)}">${esc(status)}</span>`;
export const json = (value) => `<pre>${esc(typeof value === 'string' ? value : JSON.stringify(value, null, 2))}</pre>`;
