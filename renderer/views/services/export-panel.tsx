import { useEffect, useRef, useState } from 'react';
import { useClient } from '../../client/client-context.js';
import { TextAreaField } from '../../components/form-fields.js';
import { useServicesStore } from '../../stores/services-store.js';
import { ToolPanel } from './tool-panel.js';

type Exported = { yaml: string; href: string } | { error: string } | null;
type CopyState = 'idle' | 'copied' | 'failed';

const fileName = 'fleetdeck-services.yaml';

/**
 * The services added through the UI or API as YAML: to copy, or to download. The download link is a blob:
 * URL made here, so nothing leaves the window; CSP governs fetches, not downloads, so none is needed.
 */
export function ExportPanel({ onClose }: { onClose(): void }) {
  const client = useClient();
  const exportYaml = useServicesStore((s) => s.exportYaml);
  const areaRef = useRef<HTMLDivElement>(null);
  const [exported, setExported] = useState<Exported>(null);
  const [copy, setCopy] = useState<CopyState>('idle');
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let cancelled = false;
    let href: string | null = null;
    void exportYaml(client).then((outcome) => {
      if (cancelled) return;
      if (!outcome.ok) {
        setExported({ error: outcome.message });
        return;
      }
      href = URL.createObjectURL(new Blob([outcome.value], { type: 'application/yaml' }));
      setExported({ yaml: outcome.value, href });
      setCopy('idle');
    });
    return () => {
      cancelled = true;
      if (href) URL.revokeObjectURL(href);
    };
  }, [client, exportYaml, version]);

  const copyText = async (text: string) => {
    try {
      await navigator.clipboard.writeText(text);
      setCopy('copied');
    } catch {
      // The clipboard API needs a permission the desktop app does not grant; selecting and copying does not.
      const area = areaRef.current?.querySelector('textarea');
      area?.select();
      setCopy(area && document.execCommand('copy') ? 'copied' : 'failed');
    }
  };

  return (
    <ToolPanel title="Export YAML" onClose={onClose}>
      {exported === null && <p className="muted">Exporting…</p>}
      {exported && 'error' in exported && (
        <p className="notice notice-error" role="alert">
          Could not export: {exported.error}
        </p>
      )}
      {exported && 'yaml' in exported && (
        <>
          <div ref={areaRef}>
            <TextAreaField
              label="Exported YAML"
              value={exported.yaml}
              readOnly
              rows={Math.min(16, Math.max(4, exported.yaml.split('\n').length))}
              hint="Services from the config file and the demo are not included."
              monospace
            />
          </div>
          <div className="form-actions">
            <button type="button" className="button button-primary" onClick={() => void copyText(exported.yaml)}>
              Copy
            </button>
            <a className="button" href={exported.href} download={fileName}>
              Download {fileName}
            </a>
            <button type="button" className="button button-quiet" onClick={() => setVersion((n) => n + 1)}>
              Refresh
            </button>
            <span role="status" className="muted">
              {copy === 'copied' && 'Copied to the clipboard.'}
              {copy === 'failed' && 'Could not copy: select the text and copy it with the keyboard.'}
            </span>
          </div>
        </>
      )}
    </ToolPanel>
  );
}
