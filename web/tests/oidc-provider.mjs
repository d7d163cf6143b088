// A real OpenID provider for the sign-in tests (the npm oidc-provider package, a certified
// implementation), on loopback with one client for weefsel and one account per login name.
// Usage: startProvider({ redirectUri }) -> { issuer, stop, signingKey, kid }. The provider signs
// with a key made here, so that a test can issue tokens with the provider's key and claims of its
// choosing (a wrong audience, an expiry in the past): see reissuer() in oidc.test.mjs.
import Provider from "oidc-provider";
import { createServer } from "node:http";
import { generateKeyPairSync } from "node:crypto";

export async function startProvider({ redirectUri, clientId = "weefsel", clientSecret = "weefsel-secret" }) {
  const server = createServer();
  await new Promise((ok) => server.listen(0, "127.0.0.1", ok));
  const issuer = `http://127.0.0.1:${server.address().port}`;
  const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const kid = "weefsel-test-key";
  const provider = new Provider(issuer, {
    jwks: { keys: [{ ...privateKey.export({ format: "jwk" }), kid, use: "sig", alg: "RS256" }] },
    clients: [{
      client_id: clientId, client_secret: clientSecret, redirect_uris: [redirectUri],
      grant_types: ["authorization_code"], response_types: ["code"], token_endpoint_auth_method: "client_secret_basic",
    }],
    // The dev interactions (a login form that accepts any name) stand in for the municipality's
    // login page; the account's e-mail address is derived from the name typed in.
    findAccount: (ctx, sub) => ({
      accountId: sub,
      claims: () => ({ sub, email: `${sub}@gemeente.example`, email_verified: true, name: `Medewerker ${sub}` }),
    }),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["weefsel-test-cookie-key"] },
  });
  provider.proxy = false;
  server.on("request", provider.callback());
  return { issuer, signingKey: privateKey, kid, stop: () => new Promise((ok) => { server.closeAllConnections?.(); server.close(() => ok()); }) };
}
