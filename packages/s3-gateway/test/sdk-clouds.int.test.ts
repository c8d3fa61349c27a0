/** The S3 SDK suite through the gateway over the emulators the test-servers package starts. */
import { sdkSuite } from './support/sdk-suite.js';

sdkSuite('azurite');
sdkSuite('fake-gcs');
