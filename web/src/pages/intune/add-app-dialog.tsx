// "Add app": a Windows app (Win32) or a line-of-business MSI with the fields a person fills in the portal,
// sent to POST /beta/deviceAppManagement/mobileApps as the portal sends them (no package upload: Tarmac
// installs nothing, so the package is named after the app).
import { useState, type FormEvent } from 'react';
import {
  Button,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Divider,
  Dropdown,
  Field,
  Input,
  Option,
  Radio,
  RadioGroup,
  Subtitle2,
  Textarea,
} from '@fluentui/react-components';
import { asApiError, graph, type ApiError } from '../../api';
import { ErrorBar } from '../../components/error-bar';
import { APP_TYPE_NAMES, WIN32_LOB_APP, WINDOWS_MSI_APP, useFormStyles, type MobileApp } from './common';

type Kind = typeof WIN32_LOB_APP | typeof WINDOWS_MSI_APP;

interface Draft {
  kind: Kind;
  displayName: string;
  description: string;
  publisher: string;
  installCommandLine: string;
  uninstallCommandLine: string;
  runAsAccount: 'system' | 'user';
  rulePath: string;
  ruleFile: string;
  productCode: string;
  productVersion: string;
  useDeviceContext: boolean;
}

const EMPTY: Draft = {
  kind: WIN32_LOB_APP,
  displayName: '',
  description: '',
  publisher: '',
  installCommandLine: '',
  uninstallCommandLine: '',
  runAsAccount: 'system',
  rulePath: '',
  ruleFile: '',
  productCode: '',
  productVersion: '',
  useDeviceContext: true,
};

const PRODUCT_CODE = /^\{[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\}$/i;

type Errors = Partial<Record<keyof Draft, string>>;

function check(d: Draft): Errors {
  const e: Errors = {};
  const required = (k: keyof Draft, what: string) => {
    if (String(d[k]).trim() === '') e[k] = `${what} is required.`;
  };
  required('displayName', 'Name');
  required('publisher', 'Publisher');
  if (d.kind === WIN32_LOB_APP) {
    required('installCommandLine', 'Install command');
    required('uninstallCommandLine', 'Uninstall command');
    required('rulePath', 'Path');
    required('ruleFile', 'File or folder');
  } else {
    required('productCode', 'Product code');
    if (!e.productCode && !PRODUCT_CODE.test(d.productCode.trim())) e.productCode = 'Enter the product code as a GUID in braces, e.g. {23170F69-40C1-2702-2301-000001000000}.';
  }
  return e;
}

const packageName = (name: string) => name.replace(/\W/g, '') || 'app';

/** The create body: the one test/provisioning/tutorial.ts sends for each type, with the person's values. */
function body(d: Draft): Record<string, unknown> {
  const common = { displayName: d.displayName.trim(), description: d.description.trim() || d.displayName.trim(), publisher: d.publisher.trim() };
  if (d.kind === WINDOWS_MSI_APP) {
    return {
      '@odata.type': WINDOWS_MSI_APP,
      ...common,
      fileName: `${packageName(d.displayName)}.msi`,
      productCode: d.productCode.trim().toUpperCase(),
      productVersion: d.productVersion.trim() || '1.0.0',
      commandLine: '/qn',
      ignoreVersionDetection: true,
      useDeviceContext: d.useDeviceContext,
    };
  }
  const install = d.installCommandLine.trim();
  return {
    '@odata.type': WIN32_LOB_APP,
    ...common,
    fileName: `${packageName(d.displayName)}.intunewin`,
    // The setup file is the program the install command runs.
    setupFilePath: install.match(/^"([^"]+)"|^(\S+)/)?.slice(1).find(Boolean) ?? install,
    installCommandLine: install,
    uninstallCommandLine: d.uninstallCommandLine.trim(),
    applicableArchitectures: 'x64',
    minimumSupportedWindowsRelease: '1909',
    rules: [
      {
        '@odata.type': '#microsoft.graph.win32LobAppFileSystemRule',
        ruleType: 'detection',
        path: d.rulePath.trim(),
        fileOrFolderName: d.ruleFile.trim(),
        check32BitOn64System: false,
        operationType: 'exists',
      },
    ],
    installExperience: { runAsAccount: d.runAsAccount, deviceRestartBehavior: 'suppress' },
    returnCodes: [{ returnCode: 0, type: 'success' }],
  };
}

export interface AddAppDialogProps {
  readonly open: boolean;
  readonly onClose: () => void;
  readonly onCreated: (app: MobileApp) => void;
}

export function AddAppDialog({ open, onClose, onCreated }: AddAppDialogProps) {
  const styles = useFormStyles();
  const [d, setDraft] = useState<Draft>(EMPTY);
  const [errors, setErrors] = useState<Errors>({});
  const [error, setError] = useState<ApiError>();
  const [busy, setBusy] = useState(false);
  const set = <K extends keyof Draft>(k: K, v: Draft[K]) => {
    setDraft((x) => ({ ...x, [k]: v }));
    setErrors((x) => ({ ...x, [k]: undefined }));
  };
  const close = () => {
    setDraft(EMPTY);
    setErrors({});
    setError(undefined);
    onClose();
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const found = check(d);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setError(undefined);
    try {
      const app = await graph<MobileApp>('POST', '/beta/deviceAppManagement/mobileApps', body(d));
      setDraft(EMPTY);
      onCreated(app);
    } catch (err) {
      setError(asApiError(err));
    } finally {
      setBusy(false);
    }
  };

  const text = (k: keyof Draft, label: string, required = true, hint?: string) => (
    <Field label={label} required={required} hint={hint} validationMessage={errors[k]}>
      <Input value={String(d[k])} onChange={(_e, v) => set(k, v.value as never)} />
    </Field>
  );

  return (
    <Dialog open={open} onOpenChange={(_e, v) => !v.open && close()} modalType="modal">
      <DialogSurface style={{ maxWidth: '720px' }}>
        <form onSubmit={(e) => void submit(e)} noValidate>
          <DialogBody>
            <DialogTitle>Add app</DialogTitle>
            <DialogContent className={styles.form}>
              <ErrorBar error={error} title="Could not add the app" />
              <Field label="App type" required>
                <Dropdown value={APP_TYPE_NAMES[d.kind]} selectedOptions={[d.kind]} onOptionSelect={(_e, v) => v.optionValue && set('kind', v.optionValue as Kind)}>
                  <Option value={WIN32_LOB_APP}>{APP_TYPE_NAMES[WIN32_LOB_APP]!}</Option>
                  <Option value={WINDOWS_MSI_APP}>{APP_TYPE_NAMES[WINDOWS_MSI_APP]!}</Option>
                </Dropdown>
              </Field>
              <Subtitle2 as="h3">App information</Subtitle2>
              {text('displayName', 'Name')}
              <Field label="Description">
                <Textarea value={d.description} onChange={(_e, v) => set('description', v.value)} resize="vertical" />
              </Field>
              {text('publisher', 'Publisher')}
              {d.kind === WIN32_LOB_APP ? (
                <>
                  <Divider />
                  <Subtitle2 as="h3">Program</Subtitle2>
                  {text('installCommandLine', 'Install command', true, 'For example: setup.exe /quiet')}
                  {text('uninstallCommandLine', 'Uninstall command', true, 'For example: setup.exe /uninstall /quiet')}
                  <Field label="Install behavior" hint="Device preparation installs only apps that install as System.">
                    <RadioGroup layout="horizontal" value={d.runAsAccount} onChange={(_e, v) => set('runAsAccount', v.value as 'system' | 'user')}>
                      <Radio value="system" label="System" />
                      <Radio value="user" label="User" />
                    </RadioGroup>
                  </Field>
                  <Divider />
                  <Subtitle2 as="h3">Detection rule: file exists</Subtitle2>
                  {text('rulePath', 'Path', true, 'For example: C:\\Program Files\\Contoso')}
                  {text('ruleFile', 'File or folder', true, 'For example: app.exe')}
                </>
              ) : (
                <>
                  <Divider />
                  <Subtitle2 as="h3">App package</Subtitle2>
                  {text('productCode', 'Product code', true, 'The MSI ProductCode, a GUID in braces.')}
                  {text('productVersion', 'Product version', false)}
                  <Field label="App install context" hint="Device context installs for all users (required for device preparation).">
                    <RadioGroup layout="horizontal" value={d.useDeviceContext ? 'device' : 'user'} onChange={(_e, v) => set('useDeviceContext', v.value === 'device')}>
                      <Radio value="device" label="Device" />
                      <Radio value="user" label="User" />
                    </RadioGroup>
                  </Field>
                </>
              )}
            </DialogContent>
            <DialogActions>
              <Button appearance="primary" type="submit" disabled={busy}>
                {busy ? 'Adding…' : 'Add'}
              </Button>
              <Button type="button" onClick={close} disabled={busy}>
                Cancel
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
