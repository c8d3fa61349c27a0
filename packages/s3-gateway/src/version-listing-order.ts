/**
 * ListObjectVersions lists Version and DeleteMarker elements interleaved, by key and newest first
 * within a key, as S3 does. The contract returns the two in separate lists; this puts them back in
 * one, in the store's own order where it gives one (`order`), else merged by key and time.
 */
import {
  compareKeys,
  type DeleteMarkerEntry,
  type ListObjectVersionsResult,
  type ObjectVersionEntry,
} from '@partcopy/core/provider';

export type VersionListingEntry =
  | { kind: 'version'; entry: ObjectVersionEntry }
  | { kind: 'deleteMarker'; entry: DeleteMarkerEntry };

export function versionsInListingOrder(
  listed: Pick<ListObjectVersionsResult, 'versions' | 'deleteMarkers' | 'order'>,
): VersionListingEntry[] {
  const { versions, deleteMarkers, order } = listed;
  let v = 0;
  let m = 0;
  const out: VersionListingEntry[] = [];
  const takeVersion = () => out.push({ kind: 'version', entry: versions[v++] as ObjectVersionEntry });
  const takeMarker = () => out.push({ kind: 'deleteMarker', entry: deleteMarkers[m++] as DeleteMarkerEntry });
  if (order !== undefined && order.length === versions.length + deleteMarkers.length) {
    for (const kind of order) {
      if (kind === 'version' && v < versions.length) takeVersion();
      else if (kind === 'deleteMarker' && m < deleteMarkers.length) takeMarker();
    }
    if (v === versions.length && m === deleteMarkers.length) return out;
    // An order that does not add up to the lists is not used: merge instead.
    out.length = 0;
    v = 0;
    m = 0;
  }
  while (v < versions.length || m < deleteMarkers.length) {
    const version = versions[v];
    const marker = deleteMarkers[m];
    if (marker === undefined || (version !== undefined && listedFirst(version, marker))) takeVersion();
    else takeMarker();
  }
  return out;
}

// By key; within a key the current entry first, then the newer (a tie keeps the version first).
function listedFirst(version: ObjectVersionEntry, marker: DeleteMarkerEntry): boolean {
  const byKey = compareKeys(version.key, marker.key);
  if (byKey !== 0) return byKey < 0;
  if (version.isLatest !== marker.isLatest) return version.isLatest;
  return version.lastModified.getTime() >= marker.lastModified.getTime();
}
