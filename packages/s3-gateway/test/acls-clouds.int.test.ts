/** The S3 ACL suite (support/acl-suite.ts) through the gateway on Azurite and fake-gcs-server. */
import { aclSuite } from './support/acl-suite.js';

aclSuite('azurite');
aclSuite('fake-gcs');
