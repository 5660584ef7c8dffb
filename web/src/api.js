// Talking to the landgov API: the bearer token (shared with the other pages through
// sessionStorage["landgov.token"]), the login dialog, and problem details as errors.

export const TOKEN_KEY = "landgov.token";

export const token = () => sessionStorage.getItem(TOKEN_KEY);

/** A refusal from the server: RFC 9457 problem details (detail + errors). */
export class Problem extends Error {
  constructor(status, body) {
    super(body.detail || body.title || `${status}`);
    this.status = status;
    this.body = body;
    this.errors = body.errors || [];
  }
}

const loginDialog = () => document.getElementById("login");
let waiters = [];

/** Show the login dialog; resolves once the officer has logged in. */
export function askLogin(message) {
  document.getElementById("login-error").textContent = message || "";
  if (!loginDialog().open) loginDialog().showModal();
  return new Promise((resolve) => waiters.push(resolve));
}

export function installLogin(onLogin) {
  document.getElementById("login-form").addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const res = await fetch("/api/v1/auth/token", { method: "POST", body: new URLSearchParams(new FormData(ev.target)) });
    if (!res.ok) {
      const problem = await res.json().catch(() => ({}));
      document.getElementById("login-error").textContent = problem.detail || "登录失败";
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, (await res.json()).access_token);
    loginDialog().close();
    ev.target.reset();
    const pending = waiters;
    waiters = [];
    pending.forEach((resolve) => resolve());
    onLogin();
  });
  document.getElementById("logout").addEventListener("click", () => {
    sessionStorage.removeItem(TOKEN_KEY);
    location.reload();
  });
}

/** fetch with the bearer token; a 401 asks for a login and retries. Returns the Response. */
export async function request(url, options = {}) {
  const headers = { Accept: "application/geo+json, application/json", ...(options.headers || {}) };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  let body = options.body;
  if (body !== undefined && !(body instanceof FormData) && typeof body !== "string") {
    body = JSON.stringify(body);
    headers["Content-Type"] = "application/json";
  }
  const res = await fetch(url, { ...options, headers, body });
  if (res.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    await askLogin(t ? "登录已过期, 请重新登录" : "");
    return request(url, options);
  }
  return res;
}

/** A JSON request; a 4xx/5xx becomes a Problem. Returns {body, etag}. */
export async function call(url, options = {}) {
  const res = await request(url, options);
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Problem(res.status, body);
  const tag = res.headers.get("ETag");
  return { body, version: tag ? Number(tag.replaceAll('"', "").replace("W/", "")) : null };
}

export const getJSON = async (url) => (await call(url)).body;
