// Berth's web UI: three views (repositories, a repository's tags, one image) rendered from one API request each,
// routed by the URL fragment so every view is a link. No framework, no build step, no inline script (CSP 'self').
import { ApiError, Unauthorized, get, login, logout, remove } from './api.js';

const main = document.getElementById('main');
const crumbs = document.getElementById('crumbs');
const who = document.getElementById('who');
let session = null;

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const size = (n) => {
  if (n == null) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0; let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
};
const when = (t) => (t ? `<time datetime="${esc(t)}" title="${esc(t)}">${esc(new Date(t).toLocaleString())}</time>` : '');
const short = (d) => esc(String(d).replace(/^sha256:/, '').slice(0, 12));
const link = (hash, params) => '#' + hash + (params && Object.keys(params).length ? '?' + new URLSearchParams(params) : '');

function route() {
  const [path, query] = location.hash.slice(1).split('?');
  return { path: path || '/', params: Object.fromEntries(new URLSearchParams(query || '')) };
}

function setCrumbs(parts) {
  crumbs.innerHTML = parts.map(([text, href]) => (href ? `<a href="${esc(href)}">${esc(text)}</a>` : `<span>${esc(text)}</span>`)).join(' / ');
}

function sortHeader(label, key, params, base) {
  const active = (params.sort || 'name') === key;
  const desc = active && params.order === 'desc';
  const next = { ...params, sort: key, order: active && !desc ? 'desc' : 'asc', page: 1 };
  const mark = active ? (desc ? ' ▼' : ' ▲') : '';
  return `<th scope="col" aria-sort="${active ? (desc ? 'descending' : 'ascending') : 'none'}"><a href="${esc(link(base, next))}">${esc(label)}${mark}</a></th>`;
}

function pager(body, params, base) {
  const pages = Math.max(1, Math.ceil(body.total / body.perPage));
  if (pages === 1) return `<p class="muted">${body.total} in all</p>`;
  const to = (p) => esc(link(base, { ...params, page: p }));
  return `<nav class="pager" aria-label="Pages">
    ${body.page > 1 ? `<a href="${to(body.page - 1)}">← Previous</a>` : ''}
    <span>page ${body.page} of ${pages} (${body.total})</span>
    ${body.page < pages ? `<a href="${to(body.page + 1)}">Next →</a>` : ''}</nav>`;
}

async function repositories(params) {
  setCrumbs([['Repositories']]);
  const body = await get('repositories', { q: params.q, sort: params.sort, order: params.order, page: params.page });
  const rows = body.items.map((r) => `<tr>
      <td><a href="${esc(link('/r/' + r.name))}">${esc(r.name)}</a></td>
      <td class="num">${r.tagCount}</td><td class="num">${size(r.size)}</td><td>${when(r.lastPush)}</td></tr>`).join('');
  main.innerHTML = `<h1>Repositories</h1>
    <form id="search" role="search"><label>Search <input type="search" name="q" value="${esc(params.q)}" placeholder="name contains…"></label>
      <button>Search</button></form>
    <table class="list"><thead><tr>${sortHeader('Name', 'name', params, '/')}${sortHeader('Tags', 'tags', params, '/')}${sortHeader('Size', 'size', params, '/')}${sortHeader('Last push', 'pushed', params, '/')}</tr></thead>
    <tbody>${rows || '<tr><td colspan="4" class="muted">No repositories.</td></tr>'}</tbody></table>${pager(body, params, '/')}`;
  document.getElementById('search').addEventListener('submit', (e) => {
    e.preventDefault();
    location.hash = link('/', { ...params, q: new FormData(e.target).get('q'), page: 1 });
  });
}

function pullCommands(name, ref) {
  const separator = ref.startsWith('sha256:') ? '@' : ':';
  const image = `${session.host}/${name}${separator}${ref}`;
  return ['docker', 'podman', 'nerdctl'].map((tool) => {
    const command = `${tool} pull ${image}`;
    return `<div class="pull"><input readonly aria-label="${tool} pull command" value="${esc(command)}"><button type="button" data-copy="${esc(command)}">Copy</button></div>`;
  }).join('');
}

async function tags(name, params) {
  setCrumbs([['Repositories', '#/'], [name]]);
  const base = '/r/' + name;
  const body = await get('tags', { repository: name, sort: params.sort, order: params.order, page: params.page });
  const canDelete = body.canDelete && session.deleteEnabled;
  const rows = body.items.map((t) => `<tr>
      <td><a href="${esc(link('/i/' + name + '@' + t.name))}">${esc(t.name)}</a></td>
      <td><code title="${esc(t.digest)}">${short(t.digest)}</code></td>
      <td class="num">${size(t.size)}</td><td>${esc(t.platforms.join(', '))}</td>
      <td>${when(t.created)}</td><td>${when(t.pushed)}</td>
      <td class="actions"><details><summary>Pull</summary>${pullCommands(name, t.name)}</details>
      ${canDelete ? `<button type="button" class="danger" data-delete-tag="${esc(t.name)}">Delete tag</button>` : ''}</td></tr>`).join('');
  main.innerHTML = `<h1>${esc(name)}</h1>
    <table class="list"><thead><tr>${sortHeader('Tag', 'name', params, base)}<th scope="col">Digest</th>${sortHeader('Size', 'size', params, base)}${sortHeader('Platforms', 'platforms', params, base)}${sortHeader('Created', 'created', params, base)}${sortHeader('Pushed', 'pushed', params, base)}<th scope="col">Actions</th></tr></thead>
    <tbody>${rows || '<tr><td colspan="7" class="muted">No tags.</td></tr>'}</tbody></table>${pager(body, params, base)}
    ${canDelete ? '<p><button type="button" class="danger" id="delete-repository">Delete repository…</button></p>' : ''}`;
  main.querySelectorAll('[data-delete-tag]').forEach((b) => b.addEventListener('click', () => {
    const tag = b.dataset.deleteTag;
    confirmThen(`Delete tag ${name}:${tag}? Other tags of the same image stay.`, () => remove('tags', { repository: name, tag }));
  }));
  document.getElementById('delete-repository')?.addEventListener('click', () =>
    confirmThen(`Delete every tag and manifest of ${name}?`, () => remove('repositories', { repository: name }), '#/'));
}

function descriptorTable(items, name, withPlatform) {
  if (!items.length) return '<p class="muted">None.</p>';
  return `<table class="list"><thead><tr><th scope="col">Digest</th><th scope="col">Type</th>${withPlatform ? '<th scope="col">Platform</th>' : ''}<th scope="col">Size</th></tr></thead><tbody>${
    items.map((d) => `<tr><td>${name ? `<a href="${esc(link('/i/' + name + '@' + d.digest))}"><code>${short(d.digest)}</code></a>` : `<code title="${esc(d.digest)}">${short(d.digest)}</code>`}</td>
      <td>${esc(d.artifactType || d.mediaType)}</td>${withPlatform ? `<td>${esc(d.platform)}</td>` : ''}<td class="num">${size(d.size)}</td></tr>`).join('')}</tbody></table>`;
}

function configSection(config) {
  if (!config) return '<p class="muted">No image config.</p>';
  const c = config.config || {};
  const list = (items) => (items && items.length ? `<ul>${items.map((i) => `<li><code>${esc(i)}</code></li>`).join('')}</ul>` : '<span class="muted">none</span>');
  const labels = Object.entries(c.Labels || {});
  const history = (config.history || []).map((h) => `<tr><td>${when(h.created)}</td><td><code>${esc(h.created_by)}</code></td><td>${h.empty_layer ? 'no layer' : ''}</td></tr>`).join('');
  return `<dl class="facts">
      <dt>Platform</dt><dd>${esc([config.os, config.architecture, config.variant].filter(Boolean).join('/'))}</dd>
      <dt>Created</dt><dd>${when(config.created)}</dd>
      <dt>Entrypoint</dt><dd>${list(c.Entrypoint)}</dd><dt>Command</dt><dd>${list(c.Cmd)}</dd>
      <dt>Working directory</dt><dd><code>${esc(c.WorkingDir)}</code></dd><dt>User</dt><dd><code>${esc(c.User)}</code></dd>
      <dt>Environment</dt><dd>${list(c.Env)}</dd>
      <dt>Labels</dt><dd>${labels.length ? `<ul>${labels.map(([k, v]) => `<li><code>${esc(k)}=${esc(v)}</code></li>`).join('')}</ul>` : '<span class="muted">none</span>'}</dd></dl>
    <h2>History</h2>${history ? `<table class="list"><thead><tr><th scope="col">Created</th><th scope="col">Step</th><th scope="col"></th></tr></thead><tbody>${history}</tbody></table>` : '<p class="muted">None.</p>'}`;
}

async function image(name, reference) {
  setCrumbs([['Repositories', '#/'], [name, '#/r/' + name], [reference.startsWith('sha256:') ? reference.slice(0, 19) : reference]]);
  const body = await get('image', { repository: name, reference });
  const canDelete = body.canDelete && session.deleteEnabled;
  main.innerHTML = `<h1>${esc(name)}<span class="muted">${reference.includes(':') ? '@' : ':'}${esc(reference)}</span></h1>
    <dl class="facts"><dt>Digest</dt><dd><code>${esc(body.digest)}</code></dd><dt>Media type</dt><dd>${esc(body.mediaType)}</dd>
      <dt>Size</dt><dd>${size(body.size)}</dd><dt>Tags</dt><dd>${esc(body.tags.join(', ')) || '<span class="muted">untagged</span>'}</dd></dl>
    ${pullCommands(name, body.digest)}
    ${body.children.length ? `<h2>Platforms</h2>${descriptorTable(body.children, name, true)}` : ''}
    ${body.layers.length ? `<h2>Layers</h2>${descriptorTable(body.layers, null, false)}` : ''}
    ${body.children.length ? '' : `<h2>Config</h2>${configSection(body.config)}`}
    <h2>Referrers</h2>${descriptorTable(body.referrers, name, false)}
    <details><summary>Manifest JSON</summary><pre>${esc(JSON.stringify(body.manifest, null, 2))}</pre></details>
    ${canDelete ? '<p><button type="button" class="danger" id="delete-manifest">Delete manifest and its tags…</button></p>' : ''}`;
  document.getElementById('delete-manifest')?.addEventListener('click', () =>
    confirmThen(`Delete manifest ${body.digest} and every tag on it (${body.tags.join(', ') || 'none'})?`,
      () => remove('manifests', { repository: name, digest: body.digest }), '#/r/' + name));
}

function confirmThen(text, action, after) {
  const dialog = document.getElementById('confirm');
  document.getElementById('confirm-text').textContent = text;
  dialog.returnValue = '';
  dialog.addEventListener('close', async () => {
    if (dialog.returnValue !== 'ok') return;
    try {
      await action();
      if (after && location.hash !== after) location.hash = after; else render();
    } catch (e) { showError(e); }
  }, { once: true });
  dialog.showModal();
}

function loginForm(message) {
  setCrumbs([['Log in']]);
  who.textContent = '';
  main.innerHTML = `<h1>Log in</h1><form id="login" class="login">
    ${message ? `<p class="error" role="alert">${esc(message)}</p>` : ''}
    <label>User <input name="user" autocomplete="username" required autofocus></label>
    <label>Password <input name="password" type="password" autocomplete="current-password" required></label>
    <button>Log in</button></form>`;
  document.getElementById('login').addEventListener('submit', async (e) => {
    e.preventDefault();
    const form = new FormData(e.target);
    try {
      await login(form.get('user'), form.get('password'));
      session = null;
      render();
    } catch (err) { logout(); loginForm(err instanceof ApiError ? err.message : String(err)); }
  });
}

function showError(e) {
  if (e instanceof Unauthorized) { logout(); session = null; loginForm(); return; }
  main.innerHTML = `<p class="error" role="alert">${esc(e instanceof ApiError ? e.message : String(e))}</p><p><a href="#/">Back to repositories</a></p>`;
}

async function render() {
  const { path, params } = route();
  try {
    if (!session) {
      session = await get('session');
      who.innerHTML = session.user ? `${esc(session.user)} <button type="button" id="logout">Log out</button>` : '';
      document.getElementById('logout')?.addEventListener('click', () => { logout(); session = null; loginForm(); });
    }
    if (path.startsWith('/r/')) await tags(path.slice(3), params);
    else if (path.startsWith('/i/')) {
      const at = path.lastIndexOf('@');
      await image(path.slice(3, at), path.slice(at + 1));
    } else await repositories(params);
    document.body.dataset.view = path === '/' ? 'repositories' : path.slice(1, 2);
    performance.mark('berth-rendered');
  } catch (e) { showError(e); }
}

main.addEventListener('click', async (e) => {
  const text = e.target.dataset?.copy;
  if (!text) return;
  try { await navigator.clipboard.writeText(text); e.target.textContent = 'Copied'; } catch {
    e.target.previousElementSibling.select();
  }
});
addEventListener('hashchange', render);
render();
