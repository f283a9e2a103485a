import type { ConsentProof } from '#shared/domain/consent/schemas';
import type { HttpEvent } from '#shared/http/handler';

/** What a public consent request proves about who acted: the client's IP and user agent. */
export const proofOf = (event: HttpEvent): ConsentProof => {
  const ipAddress = event.requestContext?.http?.sourceIp;
  const userAgent = event.headers?.['user-agent'];
  return {
    ...(typeof ipAddress === 'string' && ipAddress !== '' ? { ipAddress: ipAddress.slice(0, 64) } : {}),
    ...(typeof userAgent === 'string' && userAgent !== '' ? { userAgent: userAgent.slice(0, 512) } : {}),
  };
};
