// `wsoa compare [--council ...]`: the latest stored version of each council's plan,
// their actions grouped into themes shared across councils.
import { compareCouncils } from '../compare.js';
import { openStore } from '../store.js';

export async function compareCommand(opts: { store: string; councils?: string[] }) {
  const store = await openStore(opts.store);
  try {
    const docs = (await store.latestVersions()).filter((d) => !opts.councils?.length || opts.councils.includes(d.council ?? ''));
    const input = [];
    for (const d of docs) input.push({ council: d.council ?? `document ${d.id}`, records: await store.records(d.id, { kind: 'action' }) });
    return compareCouncils(input);
  } finally {
    await store.close();
  }
}
