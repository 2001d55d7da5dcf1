// A real OpenID Connect provider (panva/oidc-provider, OpenID-certified) on loopback, configured like a Swedish
// e-ID broker: the personnummer in `personal_identity_number`, the assurance level in `acr`. Tests only.
//
//   PORT=5123 CLIENT_ID=portal CLIENT_SECRET=... REDIRECT_URIS="a b" POST_LOGOUT_REDIRECT_URIS="c d" node server.js
//
// The resident "identifies" on /interaction/<uid> by posting a login (the account id): an account the test
// registered on /_test/accounts gets the claims and acr the test chose (no personnummer, a low assurance level);
// any other id is taken as a personnummer at LoA 3. POST /_test/next-token changes the ID token of the next token
// response the way a broken or hostile broker would, and signs it again: {"issued_seconds_ago": N} moves iat,
// exp and auth_time N seconds back (an expired token), {"claims": {...}} overrides claims (another aud, iss or
// nonce), {"foreign_key": true} signs with a key the broker never published, {"without_id_token": true} leaves
// it out of the answer. POST /_test/reset forgets all of it.
// Nothing here listens beyond 127.0.0.1.
import { createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import http from 'node:http';

import Provider from 'oidc-provider';

const LOA3 = 'http://id.elegnamnden.se/loa/1.0/loa3';
const ACR_VALUES = [
  'http://id.elegnamnden.se/loa/1.0/loa2',
  LOA3,
  'http://id.elegnamnden.se/loa/1.0/loa4',
  'http://id.elegnamnden.se/loa/1.0/uncertified-loa3',
];
const port = Number(process.env.PORT);
const issuer = `http://127.0.0.1:${port}`;
const split = (value) => (value || '').split(/\s+/).filter(Boolean);

const accounts = new Map();
let nextToken = null;

function account(id) {
  const registered = accounts.get(id);
  return registered || { claims: { personal_identity_number: id }, acr: LOA3 };
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const foreignKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomBytes(8).toString('hex'), use: 'sig', alg: 'RS256' };

const configuration = {
  clients: [{
    client_id: process.env.CLIENT_ID,
    client_secret: process.env.CLIENT_SECRET,
    redirect_uris: split(process.env.REDIRECT_URIS),
    post_logout_redirect_uris: split(process.env.POST_LOGOUT_REDIRECT_URIS),
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  cookies: { keys: [randomBytes(32).toString('hex')] },
  acrValues: ACR_VALUES,
  scopes: ['openid', 'profile'],
  claims: {
    openid: ['sub'],
    profile: ['personal_identity_number', 'name', 'given_name', 'family_name'],
  },
  // Swedish brokers put the personnummer in the ID token itself.
  conformIdTokenClaims: false,
  pkce: { required: () => true },
  features: {
    devInteractions: { enabled: false },
    rpInitiatedLogout: {
      enabled: true,
      logoutSource(ctx, form) {
        ctx.body = `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Log out</title></head><body>
          <h1>Log out from the e-ID broker?</h1>${form}
          <button type="submit" form="op.logoutForm" value="yes" name="logout">Yes, log me out</button></body></html>`;
      },
    },
  },
  ttl: { IdToken: 600, AccessToken: 600, AuthorizationCode: 60, Session: 3600, Interaction: 600, Grant: 3600 },
  interactions: { url: (ctx, interaction) => `/interaction/${interaction.uid}` },
  async findAccount(ctx, id) {
    const { claims } = account(id);
    return { accountId: id, async claims() { return { sub: id, ...claims }; } };
  },
  // The broker asks no consent of its own: the municipality's service is its client.
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) {
      return ctx.oidc.provider.Grant.find(grantId);
    }
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid profile');
    await grant.save();
    return grant;
  },
};

const provider = new Provider(issuer, configuration);
const providerCallback = provider.callback();

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on('data', (chunk) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res, status, body, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'Content-Type': type, 'Cache-Control': 'no-store' });
  res.end(body);
}

const escape = (s) => String(s).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    return send(res, 400, 'interaction mismatch');
  }
  if (req.method === 'GET') {
    return send(res, 200, `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>e-ID</title></head><body>
      <h1>Identify with e-ID</h1><p>prompt: ${escape(details.prompt.name)}</p>
      <form method="post" action="/interaction/${escape(uid)}/login">
        <label>Account <input name="login" autocomplete="off"></label><button type="submit">Identify</button>
      </form>
      <form method="post" action="/interaction/${escape(uid)}/abort"><button type="submit">Cancel</button></form>
      </body></html>`);
  }
  const form = new URLSearchParams(await readBody(req));
  if (action === 'abort') {
    return provider.interactionFinished(req, res, { error: 'access_denied', error_description: 'cancelled' },
      { mergeWithLastSubmission: false });
  }
  const accountId = form.get('login');
  if (!accountId) {
    return send(res, 400, 'login missing');
  }
  const { acr } = account(accountId);
  return provider.interactionFinished(req, res, { login: { accountId, acr, amr: ['bankid'] } },
    { mergeWithLastSubmission: false });
}

async function admin(req, res, path) {
  const body = req.method === 'POST' ? JSON.parse((await readBody(req)) || '{}') : {};
  if (path === '/_test/accounts') {
    accounts.set(body.id, { claims: body.claims || {}, acr: body.acr || LOA3 });
  } else if (path === '/_test/next-token') {
    nextToken = body;
  } else if (path === '/_test/reset') {
    accounts.clear();
    nextToken = null;
  } else {
    return send(res, 404, 'not found', 'text/plain');
  }
  return send(res, 200, '{"ok":true}', 'application/json');
}

const b64 = (value) => Buffer.from(value).toString('base64url');

// The ID token as `change` says, signed again (RS256) with the broker's own key or a foreign one.
function rewriteIdToken(idToken, change) {
  const [header, payload] = idToken.split('.');
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  const age = Number(change.issued_seconds_ago || 0);
  for (const name of ['iat', 'exp', 'auth_time']) {
    if (age && typeof claims[name] === 'number') {
      claims[name] -= age;
    }
  }
  Object.assign(claims, change.claims || {});
  const input = `${header}.${b64(JSON.stringify(claims))}`;
  const key = change.foreign_key ? foreignKey : createPrivateKey({ key: signingKey, format: 'jwk' });
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

// Let the provider answer the token request, then change the ID token in its answer.
function tamperedTokenResponse(req, res, change) {
  const end = res.end.bind(res);
  const chunks = [];
  res.write = (chunk) => { chunks.push(Buffer.from(chunk)); return true; };
  res.end = (chunk, ...rest) => {
    if (chunk && typeof chunk !== 'function') {
      chunks.push(Buffer.from(chunk));
    }
    let body = Buffer.concat(chunks).toString('utf8');
    if (res.statusCode === 200) {
      const answer = JSON.parse(body);
      if (change.without_id_token) {
        delete answer.id_token;
      } else {
        answer.id_token = rewriteIdToken(answer.id_token, change);
      }
      body = JSON.stringify(answer);
    }
    res.setHeader('Content-Length', Buffer.byteLength(body));
    return end(body);
  };
  providerCallback(req, res);
}

const server = http.createServer(async (req, res) => {
  try {
    const { pathname } = new URL(req.url, issuer);
    const match = pathname.match(/^\/interaction\/([^/]+)(?:\/(login|abort))?$/);
    if (match) {
      return await interaction(req, res, match[1], match[2]);
    }
    if (pathname.startsWith('/_test/')) {
      return await admin(req, res, pathname);
    }
    if (pathname === '/token' && nextToken) {
      const change = nextToken;
      nextToken = null;
      return tamperedTokenResponse(req, res, change);
    }
    return providerCallback(req, res);
  } catch (error) {
    console.error(error);
    if (!res.headersSent) {
      send(res, 500, String(error), 'text/plain');
    }
  }
});

provider.on('server_error', (ctx, error) => console.error('server_error', error));
server.listen(port, '127.0.0.1', () => console.log(`oidc-provider listening on ${issuer}`));
