/** The added operations through the gateway over the emulators the test-servers package starts. */
import { sdkFeaturesSuite } from './support/sdk-features-suite.js';

sdkFeaturesSuite('azurite');
sdkFeaturesSuite('fake-gcs');
