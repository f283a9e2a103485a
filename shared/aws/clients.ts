/**
 * SDK clients, created once per container (outside handlers) with short timeouts. Endpoints come
 * from the standard `AWS_ENDPOINT_URL_*` variables, so the same code talks to DynamoDB Local.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

let dynamo: DynamoDBClient | undefined;
let documentClient: DynamoDBDocumentClient | undefined;
let secretsManager: SecretsManagerClient | undefined;

export const dynamoClient = (): DynamoDBClient => {
  dynamo ??= new DynamoDBClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return dynamo;
};

export const documentClientOf = (client: DynamoDBClient): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(client, {
    marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    unmarshallOptions: { wrapNumbers: false },
  });

export const docClient = (): DynamoDBDocumentClient => {
  documentClient ??= documentClientOf(dynamoClient());
  return documentClient;
};

/** Secrets Manager (the cursor key ring); `AWS_ENDPOINT_URL_SECRETS_MANAGER` points it at the local stand-in. */
export const secretsManagerClient = (): SecretsManagerClient => {
  secretsManager ??= new SecretsManagerClient({
    maxAttempts: 3,
    requestHandler: { connectionTimeout: 1_000, requestTimeout: 3_000 },
  });
  return secretsManager;
};
