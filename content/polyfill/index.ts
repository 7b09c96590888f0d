/**
 * Background Fetch polyfill: the WICG specification's API, downloading in the
 * service worker, with state in IndexedDB and bodies in Cache Storage.
 */
export { install, autoInstall, isInstalled, type InstallOptions } from './install';
export { devtools, type BackgroundFetchPolyfillDevtools } from './devtools';
export { BackgroundFetchManager } from './manager';
export { BackgroundFetchRegistration } from './registration';
export { BackgroundFetchRecord } from './record';
export { VERSION as version } from './types';
export type { FailureReason, FaultReason, PolyfillConfig } from './types';
