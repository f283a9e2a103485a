/**
 * The one AWS JSON protocol server of the local stand-ins (`infra/local/aws-json.ts`), checked the
 * way the stand-ins are used: through real SDK v3 clients, whose deserializers must turn each
 * error body into the service's named exception with its status and fault.
 */
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  SecretsManagerServiceException,
} from '@aws-sdk/client-secrets-manager';
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AwsJsonError,
  type AwsJsonServer,
  awsJsonErrorWire,
  startAwsJsonServer,
} from '#infra/local/aws-json';

const credentials = { accessKeyId: 'test', secretAccessKey: 'test' };
const MISSING = "Secrets Manager can't find the specified secret.";

describe('Module: aws-json', () => {
  let json11: AwsJsonServer;
  let json10: AwsJsonServer;
  const received: Array<Record<string, unknown>> = [];

  beforeAll(async () => {
    json11 = await startAwsJsonServer({
      protocol: '1.1',
      targetPrefix: 'secretsmanager',
      maxBodyBytes: 1024,
      operations: {
        GetSecretValue: (body) => {
          received.push(body);
          if (body.SecretId === 'missing') throw new AwsJsonError('ResourceNotFoundException', MISSING);
          if (body.SecretId === 'broken') throw new Error('disk on fire');
          return { Name: body.SecretId, SecretString: 'value' };
        },
      },
    });
    json10 = await startAwsJsonServer({
      protocol: '1.0',
      targetPrefix: 'AWSStepFunctions',
      operations: {
        StartExecution: () => {
          throw new AwsJsonError('ExecutionAlreadyExists', "Execution Already Exists: 'x'");
        },
      },
    });
  });

  afterAll(async () => {
    await Promise.all([json11?.close(), json10?.close()]);
  });

  const secrets = () =>
    new SecretsManagerClient({ endpoint: json11.url, region: 'us-east-1', credentials, maxAttempts: 1 });
  const failureOf = (promise: Promise<unknown>) =>
    promise.then(
      () => undefined,
      (error: unknown) => error,
    );

  describe('Method: awsJsonErrorWire', () => {
    it('puts the code in the error-type header and in `__type`, beside the message and status', () => {
      // Act
      const wire = awsJsonErrorWire(
        new AwsJsonError('InvalidCiphertextException', 'The ciphertext is invalid'),
      );

      // Assess
      expect(wire).toEqual({
        status: 400,
        headers: { 'x-amzn-errortype': 'InvalidCiphertextException' },
        body: { __type: 'InvalidCiphertextException', message: 'The ciphertext is invalid' },
      });
    });
  });

  describe('Method: startAwsJsonServer', () => {
    it('hands the request body to the operation and its result back to the SDK (JSON 1.1)', async () => {
      // Act
      const out = await secrets().send(new GetSecretValueCommand({ SecretId: 'relay/keys' }));

      // Assess
      expect(out).toMatchObject({ Name: 'relay/keys', SecretString: 'value' });
      expect(out.$metadata.httpStatusCode).toBe(200);
      expect(received.at(-1)).toEqual({ SecretId: 'relay/keys' });
    });

    it('answers a thrown AwsJsonError so the SDK raises the named exception (JSON 1.1)', async () => {
      // Act
      const error = await failureOf(secrets().send(new GetSecretValueCommand({ SecretId: 'missing' })));

      // Assess
      expect(error).toBeInstanceOf(ResourceNotFoundException);
      expect(error).toMatchObject({
        name: 'ResourceNotFoundException',
        message: MISSING,
        $fault: 'client',
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('answers a thrown AwsJsonError so the SDK raises the named exception (JSON 1.0)', async () => {
      // Prepare
      const sfn = new SFNClient({ endpoint: json10.url, region: 'us-east-1', credentials, maxAttempts: 1 });

      // Act
      const error = await failureOf(
        sfn.send(
          new StartExecutionCommand({
            stateMachineArn: 'arn:aws:states:us-east-1:0:stateMachine:x',
            name: 'x',
          }),
        ),
      );

      // Assess
      expect(error).toBeInstanceOf(ExecutionAlreadyExists);
      expect(error).toMatchObject({
        message: "Execution Already Exists: 'x'",
        $metadata: { httpStatusCode: 400 },
      });
    });

    it('turns any other failure of an operation into a 500 InternalFailure, a server fault', async () => {
      // Act
      const error = await failureOf(secrets().send(new GetSecretValueCommand({ SecretId: 'broken' })));

      // Assess
      expect(error).toBeInstanceOf(SecretsManagerServiceException);
      expect(error).toMatchObject({
        name: 'InternalFailure',
        $fault: 'server',
        $metadata: { httpStatusCode: 500 },
      });
    });

    it.each([
      {
        what: 'an operation it does not declare',
        target: 'secretsmanager.DeleteSecret',
        body: '{}',
        status: 400,
        code: 'UnknownOperationException',
      },
      {
        what: 'another service’s target',
        target: 'TrentService.GetSecretValue',
        body: '{}',
        status: 400,
        code: 'UnknownOperationException',
      },
      {
        what: 'a body that is not a JSON object',
        target: 'secretsmanager.GetSecretValue',
        body: '[1]',
        status: 400,
        code: 'SerializationException',
      },
      {
        what: 'a body over the limit',
        target: 'secretsmanager.GetSecretValue',
        body: JSON.stringify({ SecretId: 'x'.repeat(2048) }),
        status: 413,
        code: 'ValidationException',
      },
    ])('refuses $what with $status $code in the same error shape', async ({ target, body, status, code }) => {
      // Act
      const res = await fetch(json11.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
        body,
      });

      // Assess
      expect(res.status).toBe(status);
      expect(res.headers.get('content-type')).toBe('application/x-amz-json-1.1');
      expect(res.headers.get('x-amzn-errortype')).toBe(code);
      expect(await res.json()).toEqual({ __type: code, message: expect.any(String) });
    });
  });
});
