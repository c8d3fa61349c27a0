/** The added operations through the gateway over the server-free stores: memory and a local folder. */
import { sdkFeaturesSuite } from './support/sdk-features-suite.js';

sdkFeaturesSuite('memory');
sdkFeaturesSuite('fs');
