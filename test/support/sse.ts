/** Reads a Server-Sent Events stream with fetch (Node has no EventSource) and collects each event's parsed data. */
export function readEvents(url: string): { events: unknown[]; closed: Promise<void>; close(): void } {
  const controller = new AbortController();
  const events: unknown[] = [];
  const closed = (async () => {
    const response = await fetch(url, { signal: controller.signal, headers: { accept: 'text/event-stream' } });
    if (!response.ok || !response.body) throw new Error(`GET ${url}: HTTP ${response.status}`);
    const decoder = new TextDecoder();
    let buffer = '';
    for await (const chunk of response.body) {
      buffer += decoder.decode(chunk as Uint8Array, { stream: true });
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data: '))
          .map((line) => line.slice(6))
          .join('\n');
        if (data) events.push(JSON.parse(data));
      }
    }
  })().catch((error: unknown) => {
    if (!controller.signal.aborted) throw error;
  });
  return { events, closed, close: () => controller.abort() };
}
