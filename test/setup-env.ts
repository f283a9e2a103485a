/**
 * Runs before every unit and integration test file: a deterministic function environment that
 * never reaches AWS (fake credentials, a local region; integration tests point the endpoint at
 * DynamoDB Local) and a quiet logger.
 */
process.env.STAGE ??= 'test';
process.env.TABLE_NAME ??= 'relay-test';
// A secret name only; the ring itself is read from Secrets Manager (integration tests start the
// local stand-in and point AWS_ENDPOINT_URL_SECRETS_MANAGER at it).
process.env.CURSOR_KEYS_SECRET_ID ??= 'relay-test/cursor-keys';
// Nothing listens here: a unit test that reaches Secrets Manager by mistake fails at once.
process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER ??= 'http://127.0.0.1:9';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.POWERTOOLS_SERVICE_NAME ??= 'relay';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_LAMBDA_LOG_LEVEL ??= 'ERROR';
