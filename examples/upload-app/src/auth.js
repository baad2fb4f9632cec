// Sign-in through the user pool's hosted UI: the implicit flow seed 004
// uses (tokens in the URL fragment) and the authorization code flow with
// PKCE (RFC 7636), whose code this page exchanges itself at /oauth2/token.
// Tokens live in sessionStorage, so they last as long as the tab.

const TOKENS_KEY = "federa.upload-app.tokens";
const PENDING_KEY = "federa.upload-app.pending";
// Treat tokens as expired a little early, so a request never carries one
// that lapses in flight.
const EXPIRY_MARGIN_MS = 30_000;

/** base64url without padding (RFC 4648 §5), as PKCE and JWTs use. */
function base64url(bytes) {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function randomToken(byteCount) {
  return base64url(crypto.getRandomValues(new Uint8Array(byteCount)));
}

/** The S256 code challenge of a verifier: BASE64URL(SHA256(verifier)), RFC 7636 §4.2. */
async function s256(verifier) {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return base64url(new Uint8Array(digest));
}

/**
 * Sends the browser to the hosted UI. flow is "implicit" (seed 004's
 * /login?response_type=token URL) or "code" (/oauth2/authorize with PKCE).
 * What the answer must match (state, and the verifier for the code flow) is
 * kept in sessionStorage until the hosted UI redirects back.
 */
export async function beginSignIn(cfg, flow) {
  const state = randomToken(16);
  const pending = { flow, state };
  let url;
  if (flow === "code") {
    // 32 random bytes give a 43-character verifier, the minimum RFC 7636 §4.1 allows.
    pending.verifier = randomToken(32);
    const q = new URLSearchParams({
      response_type: "code",
      client_id: cfg.clientId,
      redirect_uri: cfg.redirectUri,
      scope: "openid email profile",
      state,
      code_challenge: await s256(pending.verifier),
      code_challenge_method: "S256",
    });
    url = `${cfg.authBase}/oauth2/authorize?${q}`;
  } else {
    const q = new URLSearchParams({
      response_type: "token",
      client_id: cfg.clientId,
      redirect_uri: cfg.redirectUri,
      state,
    });
    url = `${cfg.authBase}/login?${q}`;
  }
  sessionStorage.setItem(PENDING_KEY, JSON.stringify(pending));
  location.assign(url);
}

function takePending() {
  const raw = sessionStorage.getItem(PENDING_KEY);
  sessionStorage.removeItem(PENDING_KEY);
  try {
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

function oauthError(params) {
  const desc = params.get("error_description");
  return new Error(`The hosted UI answered ${params.get("error")}${desc ? `: ${desc}` : ""}`);
}

/**
 * Completes a redirect back from the hosted UI, if this page load is one:
 * tokens in the fragment (implicit flow) or a code in the query (code flow).
 * It clears them from the address bar, checks state against what
 * beginSignIn stored, and stores the tokens. It returns the tokens, or
 * null when the page was not opened by a redirect; it throws when the
 * redirect carries an error or does not match.
 */
export async function completeSignIn(cfg) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const query = new URLSearchParams(location.search);
  const implicit = fragment.has("id_token") || fragment.has("access_token") || fragment.has("error");
  const code = query.has("code") || query.has("error");
  if (!implicit && !code) return null;

  const params = implicit ? fragment : query;
  // The fragment and query hold credentials: take them out of the address
  // bar (and so out of history and bookmarks) before anything else.
  history.replaceState(null, "", location.pathname);
  const pending = takePending();
  if (!pending || params.get("state") !== pending.state) {
    throw new Error("The sign-in response does not match a sign-in this tab started (state differs); it was ignored.");
  }
  if (params.has("error")) throw oauthError(params);

  if (implicit) {
    if (pending.flow !== "implicit") throw new Error("Expected an authorization code but got tokens.");
    return saveTokens({
      idToken: params.get("id_token"),
      accessToken: params.get("access_token"),
      expiresIn: Number(params.get("expires_in") || 3600),
      flow: "implicit",
    });
  }
  if (pending.flow !== "code") throw new Error("Expected tokens but got an authorization code.");
  const resp = await fetch(`${cfg.authBase}/oauth2/token`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({
      grant_type: "authorization_code",
      client_id: cfg.clientId,
      code: params.get("code"),
      redirect_uri: cfg.redirectUri,
      code_verifier: pending.verifier,
    }),
  });
  const body = await resp.json().catch(() => ({}));
  if (!resp.ok) {
    throw new Error(`The token endpoint refused the code (${resp.status} ${body.error || resp.statusText}${body.error_description ? `: ${body.error_description}` : ""})`);
  }
  return saveTokens({
    idToken: body.id_token,
    accessToken: body.access_token,
    refreshToken: body.refresh_token,
    expiresIn: Number(body.expires_in || 3600),
    flow: "code",
  });
}

function saveTokens({ expiresIn, ...t }) {
  if (!t.idToken) throw new Error("The hosted UI returned no ID token (is the openid scope allowed?)");
  const tokens = { ...t, expiresAt: Date.now() + expiresIn * 1000 };
  sessionStorage.setItem(TOKENS_KEY, JSON.stringify(tokens));
  return tokens;
}

/** The stored tokens, or null when there are none or they have expired. */
export function currentTokens() {
  try {
    const t = JSON.parse(sessionStorage.getItem(TOKENS_KEY) || "null");
    if (t && t.idToken && t.expiresAt - EXPIRY_MARGIN_MS > Date.now()) return t;
  } catch {
    // A damaged entry is the same as none.
  }
  sessionStorage.removeItem(TOKENS_KEY);
  return null;
}

/**
 * The ID token's claims, for display only: the identity pool verifies the
 * token's signature, this page only reads who it names.
 */
export function claims(idToken) {
  try {
    const part = idToken.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
    const bytes = Uint8Array.from(atob(part), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return {};
  }
}

/** Forgets the tokens and ends the hosted UI's session, which redirects back here. */
export function signOut(cfg) {
  sessionStorage.removeItem(TOKENS_KEY);
  const q = new URLSearchParams({ client_id: cfg.clientId, logout_uri: cfg.redirectUri });
  location.assign(`${cfg.authBase}/logout?${q}`);
}
