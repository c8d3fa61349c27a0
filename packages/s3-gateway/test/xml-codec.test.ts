/** Request XML as clients write it: numeric character references, namespaces, DOCTYPEs refused. */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../src/gateway-error.js';
import { parseXmlBody } from '../src/xml-codec.js';

describe('parseXmlBody', () => {
  it("decodes Go's &#34; quotes around an ETag and keeps values as strings", () => {
    const body = parseXmlBody(
      '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Part><PartNumber>1</PartNumber><ETag>&#34;0123&#34;</ETag></Part></CompleteMultipartUpload>',
      'CompleteMultipartUpload',
    );
    expect(body.Part).toEqual([{ PartNumber: '1', ETag: '"0123"' }]);
  });

  it('refuses a DOCTYPE (no entity expansion), a wrong root and broken XML with MalformedXML', () => {
    const bomb =
      '<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaa">]><Delete><Object><Key>&a;</Key></Object></Delete>';
    for (const [text, root] of [
      [bomb, 'Delete'],
      ['<Other/>', 'Delete'],
      ['<Delete><Object>', 'Delete'],
      ['', 'Delete'],
    ] as const) {
      let thrown: unknown;
      try {
        parseXmlBody(text, root);
      } catch (error) {
        thrown = error;
      }
      expect(thrown instanceof GatewayError && thrown.code).toBe('MalformedXML');
    }
  });
});
