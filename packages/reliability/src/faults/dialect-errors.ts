/**
 * Error answers in each store's own format, as the fault proxy sends them instead of forwarding
 * a request: what S3, Azure Blob Storage and GCS answer when they throttle or fail inside.
 */

export type Dialect = 's3' | 'azure' | 'gcs';

export interface DialectAnswer {
  status: number;
  headers: Record<string, string>;
  body: string;
}

export function dialectAnswer(dialect: Dialect, kind: 'throttle' | 'internal' | 'plain-500'): DialectAnswer {
  if (kind === 'plain-500') {
    return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'Internal Server Error\n' };
  }
  const throttle = kind === 'throttle';
  switch (dialect) {
    case 's3':
      return xml(
        throttle ? 503 : 500,
        {
          'x-amz-request-id': 'FAULTPROXY',
        },
        `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${throttle ? 'SlowDown' : 'InternalError'}</Code><Message>${throttle ? 'Please reduce your request rate.' : 'We encountered an internal error. Please try again.'}</Message><RequestId>FAULTPROXY</RequestId></Error>`,
      );
    case 'azure': {
      const code = throttle ? 'ServerBusy' : 'InternalError';
      const message = throttle
        ? 'The server is busy.'
        : 'The server encountered an internal error. Please retry the request.';
      return xml(
        throttle ? 503 : 500,
        { 'x-ms-error-code': code, 'x-ms-request-id': 'faultproxy' },
        `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:faultproxy</Message></Error>`,
      );
    }
    case 'gcs': {
      const status = throttle ? 503 : 500;
      const reason = throttle ? 'backendError' : 'internalError';
      const message = throttle ? 'We encountered an internal error. Please try again.' : 'Internal Error';
      return {
        status,
        headers: { 'content-type': 'application/json; charset=UTF-8' },
        body: JSON.stringify({
          error: { code: status, message, errors: [{ message, domain: 'global', reason }] },
        }),
      };
    }
  }
}

function xml(status: number, headers: Record<string, string>, body: string): DialectAnswer {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body };
}
