// The Intune Provisioning Client's service principal in the tenant, which must own the device group of a
// device preparation policy (GET /v1.0/servicePrincipals?$filter=appId eq '…').
import { ApiError, graph, type GraphList } from '../../api';
import { PROVISIONING_CLIENT_APP_ID, type DirectoryObject } from './objects';

export async function findProvisioningClient(signal?: AbortSignal): Promise<DirectoryObject> {
  const filter = encodeURIComponent(`appId eq '${PROVISIONING_CLIENT_APP_ID}'`);
  const found = await graph<GraphList<DirectoryObject>>('GET', `/v1.0/servicePrincipals?$filter=${filter}&$select=id,displayName,appId`, undefined, { signal });
  const sp = found.value[0];
  if (!sp) {
    throw new ApiError(
      404,
      'Request_ResourceNotFound',
      `This tenant has no service principal for the Intune Provisioning Client (application ID ${PROVISIONING_CLIENT_APP_ID}). Create it with POST /v1.0/servicePrincipals {"appId": "${PROVISIONING_CLIENT_APP_ID}"}.`,
    );
  }
  return sp;
}
