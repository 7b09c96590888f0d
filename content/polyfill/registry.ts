/**
 * One BackgroundFetchRegistration per fetch per realm ("get a
 * BackgroundFetchRegistration instance"), kept current from the scope's
 * BroadcastChannel.
 */
import type { ManagerContext } from './context';
import { INTERNAL } from './context';
import { BackgroundFetchRegistration, applySnapshot } from './registration';
import { channelName, type ChannelMessage, type Snapshot } from './types';

const instances = new Map<string, BackgroundFetchRegistration>();
const channels = new Map<string, BroadcastChannel>();

export function instanceFor(snapshot: Snapshot, ctx: ManagerContext): BackgroundFetchRegistration {
  listen(snapshot.scope);
  let r = instances.get(snapshot.uid);
  if (!r) {
    r = new BackgroundFetchRegistration(INTERNAL, snapshot, ctx);
    if (snapshot.recordsAvailable) instances.set(snapshot.uid, r);
  } else {
    applySnapshot(r, snapshot);
  }
  return r;
}

export function update(snapshot: Snapshot): void {
  const r = instances.get(snapshot.uid);
  if (!r) return;
  applySnapshot(r, snapshot);
  // Nothing will change any more: the realm need not keep it reachable.
  if (!snapshot.recordsAvailable) instances.delete(snapshot.uid);
}

export function listen(scope: string): void {
  if (channels.has(scope) || typeof BroadcastChannel !== 'function') return;
  const channel = new BroadcastChannel(channelName(scope));
  channel.onmessage = (e: MessageEvent<ChannelMessage>) => {
    if (e.data?.type === 'state') update(e.data.snapshot);
  };
  channels.set(scope, channel);
}
