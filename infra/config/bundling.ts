/**
 * What `RelayFunction` leaves out of its bundles, shared with the bench (`bench/lib/bundles.ts`)
 * so the measured bundle is the deployed one.
 *
 * The SDK is bundled at the lockfile's versions (`bundleAwsSDK: true`), except the credential
 * providers of the SDK's default chain that a Lambda function never reaches: the runtime puts the
 * role's credentials in the environment and `fromEnv` answers first. The chain loads these with
 * dynamic `import()`, so external they cost nothing until reached — and if ever reached they
 * resolve from the SDK the Node.js runtime ships. They (with the SSO/STS clients they pull in,
 * `@aws-sdk/nested-clients`) are ~100 KB of every bundle; test/infra/bundling.test.ts fails if one
 * of them becomes a static import. Measured in docs/adr/0014-bundle-size.md.
 */
export const UNREACHED_CREDENTIAL_PROVIDERS = [
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
] as const;
