export { type Dialect, dialectAnswer } from './dialect-errors.js';
export { FAULT_KINDS, type FaultKind, TRANSPORT_FAULTS } from './fault-kinds.js';
export { FaultPlan, planFault } from './fault-plan.js';
export { type FaultLogEntry, type FaultProxy, startFaultProxy } from './fault-proxy.js';
export { requestIdentity } from './request-identity.js';
