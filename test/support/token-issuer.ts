import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from 'jose';

export interface TokenClaims extends JWTPayload {
  tid?: string;
  oid?: string;
  scp?: string;
  roles?: string[];
  preferred_username?: string;
  name?: string;
}

export interface SignOptions {
  /** Seconds from now; negative for a token that has already expired. */
  expiresIn?: number;
  /** Sign with a key the JWKS does not publish. */
  foreignKey?: boolean;
  kid?: string;
}

export interface TokenIssuer {
  /** The JWKS endpoint, e.g. `http://127.0.0.1:1234/discovery/v2.0/keys`. */
  jwksUrl: string;
  /** Times the JWKS endpoint was read. */
  readonly jwksRequests: number;
  sign(claims: TokenClaims, options?: SignOptions): Promise<string>;
  close(): Promise<void>;
}

const KID = 'test-signing-key';

/** A stand-in for Entra ID's signing keys: an RS256 key pair whose public half is served as a JWKS on loopback. */
export async function startTokenIssuer(): Promise<TokenIssuer> {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const foreign: { privateKey: CryptoKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: KID, use: 'sig', alg: 'RS256' };
  let jwksRequests = 0;
  const server = createServer((req, res) => {
    jwksRequests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/discovery/v2.0/keys`,
    get jwksRequests() {
      return jwksRequests;
    },
    sign(claims, options = {}) {
      const expires = Math.floor(Date.now() / 1000) + (options.expiresIn ?? 3600);
      const issued = Math.min(expires - 3600, Math.floor(Date.now() / 1000) - 60);
      return new SignJWT(claims)
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? KID })
        .setIssuedAt(issued)
        .setNotBefore(issued)
        .setExpirationTime(expires)
        .sign(options.foreignKey ? foreign.privateKey : privateKey);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
