/** Local values for the resource references of `functionSettings` (infra/config/functions.ts), shared by its tests. */
export const localRefs = {
  tableName: 'relay-local',
  eventBusName: 'relay-local',
  cursorKeysSecretArn:
    'arn:aws:secretsmanager:eu-central-1:000000000000:secret:relay-local/cursor-keys-AbCdEf',
  webhookSecretKeyArn: 'arn:aws:kms:us-east-1:000000000000:key/local',
  stateMachineArn: (workflow: string) =>
    `arn:aws:states:us-east-1:000000000000:stateMachine:relay-local-${workflow}`,
};
