export {
  startProcess,
  describeOutcome,
  ProcessStartError,
  type ProcessHandle,
  type StartProcessOptions,
  type ExitOutcome,
} from './start-process';
export { freePort, isPortFree } from './ports';
export { waitFor, type WaitForOptions } from './wait-for';
export { getJson, httpStatus, type JsonResponse, type JsonRequestInit } from './http';
