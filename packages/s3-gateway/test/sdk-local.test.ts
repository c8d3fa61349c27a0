/** The S3 SDK suite through the gateway over the server-free stores: memory and a local folder. */
import { sdkSuite } from './support/sdk-suite.js';

sdkSuite('memory');
sdkSuite('fs');
