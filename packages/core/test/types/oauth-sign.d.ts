// oauth-sign 0.9.0 ships no types; only what the interop tests use.
declare module 'oauth-sign' {
  type Params = Readonly<Record<string, string | readonly string[]>>
  interface OAuthSign {
    sign(
      signatureMethod: 'HMAC-SHA1' | 'HMAC-SHA256' | 'RSA-SHA1' | 'PLAINTEXT',
      httpMethod: string,
      baseUri: string,
      params: Params,
      consumerSecretOrPrivateKey: string,
      tokenSecret?: string,
    ): string
    generateBase(httpMethod: string, baseUri: string, params: Params): string
    rfc3986(value: string): string
  }
  const oauthSign: OAuthSign
  export default oauthSign
}
