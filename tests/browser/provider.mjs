// A real OpenID provider for the console's browser tests: the certified `oidc-provider` package, configured as
// the city's identity provider would be (decision 0090): code flow with PKCE, RS256 JWT access tokens for the
// `chancery` audience carrying the office's `roles` and `department` claims, refresh tokens, RP-initiated
// logout. People sign in on its development login page (any password); who holds which roles comes from
// PROVIDER_CONFIG. It prints "ready" when it listens.
import crypto from 'node:crypto';
import Provider from 'oidc-provider';

const config = JSON.parse(process.env.PROVIDER_CONFIG);
const people = config.people;
// A resource indicator is a URI; the tokens issued for it carry the audience the services expect.
const RESOURCE = 'urn:chancery:api';
const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: 'city-test', alg: 'RS256', use: 'sig' };

function claimsOf(accountId) {
  const person = people[accountId] || { roles: [] };
  return { name: person.name || accountId, roles: person.roles, department: person.department };
}

async function loadExistingGrant(ctx) {
  // Staff do not consent to the city's own console: the grant is the office's, made on first sign-in.
  const { Grant } = ctx.oidc.provider;
  const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
  if (grantId) return Grant.find(grantId);
  const grant = new Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
  grant.addOIDCScope('openid profile offline_access');
  grant.addOIDCClaims(['name', 'roles', 'department']);
  grant.addResourceScope(RESOURCE, 'chancery');
  await grant.save();
  return grant;
}

const provider = new Provider(config.issuer, {
  clients: [{
    client_id: config.clientId,
    client_secret: config.clientSecret,
    redirect_uris: config.redirectUris,
    post_logout_redirect_uris: config.postLogoutRedirectUris,
    grant_types: ['authorization_code', 'refresh_token'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [signingKey] },
  pkce: { required: () => true },
  claims: { openid: ['sub'], profile: ['name', 'roles', 'department'] },
  conformIdTokenClaims: false,
  findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, ...claimsOf(id) }) }),
  extraTokenClaims: (_ctx, token) => (token.kind === 'AccessToken' ? claimsOf(token.accountId) : undefined),
  issueRefreshToken: (_ctx, client) => client.grantTypeAllowed('refresh_token'),
  loadExistingGrant,
  ttl: { AccessToken: config.accessTokenSeconds || 600, IdToken: 3600, RefreshToken: 86400, Session: 86400,
         Interaction: 600, Grant: 86400, AuthorizationCode: 60 },
  features: {
    devInteractions: { enabled: true },
    rpInitiatedLogout: { enabled: true },
    resourceIndicators: {
      enabled: true,
      defaultResource: () => RESOURCE,
      useGrantedResource: () => true,
      getResourceServerInfo: () => ({
        scope: 'chancery', audience: config.audience, accessTokenFormat: 'jwt', accessTokenTTL: config.accessTokenSeconds || 600,
        jwt: { sign: { alg: 'RS256' } },
      }),
    },
  },
});
provider.listen(config.port, '127.0.0.1', () => console.log('ready'));
