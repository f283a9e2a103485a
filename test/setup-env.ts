/**
 * Runs before every unit and integration test file: a deterministic function environment that
 * never reaches AWS (fake credentials, a local region; integration tests point the endpoint at
 * DynamoDB Local) and a quiet logger.
 */
process.env.STAGE ??= 'test';
process.env.TABLE_NAME ??= 'relay-test';
process.env.CURSOR_SECRET ??= 'test-cursor-secret-0123456789abcdef0123456789';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'test';
process.env.AWS_SECRET_ACCESS_KEY ??= 'test';
process.env.POWERTOOLS_SERVICE_NAME ??= 'relay';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.AWS_LAMBDA_LOG_LEVEL ??= 'ERROR';
