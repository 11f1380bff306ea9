// The users, groups and policies request builders of the Kiota beta SDK, registered on
// GraphBetaServiceClient the way Microsoft's area packages (@microsoft/msgraph-beta-sdk-users, -groups,
// -policies) do it: navigation metadata passed to extendGraphBetaServiceClient. Those area packages are
// not published to the npm registry for the installed SDK version, so this module declares the few paths
// the end-to-end scenario uses. The URI templates, query parameter names and model factories are the
// generated ones (msgraph-beta-sdk-typescript, packages/msgraph-beta-sdk-{users,groups,policies}); the
// models, serializers, request adapter and proxy are the installed SDK's own.
import { extendGraphBetaServiceClient } from '@microsoft/msgraph-beta-sdk';
import {
  createDeviceRegistrationPolicyFromDiscriminatorValue,
  createDirectoryObjectCollectionResponseFromDiscriminatorValue,
  createGroupCollectionResponseFromDiscriminatorValue,
  createGroupFromDiscriminatorValue,
  createMobileDeviceManagementPolicyCollectionResponseFromDiscriminatorValue,
  createMobileDeviceManagementPolicyFromDiscriminatorValue,
  createUserCollectionResponseFromDiscriminatorValue,
  createUserFromDiscriminatorValue,
  serializeGroup,
  serializeReferenceCreate,
  serializeUser,
} from '@microsoft/msgraph-beta-sdk/models/index.js';
import { createODataErrorFromDiscriminatorValue } from '@microsoft/msgraph-beta-sdk/models/oDataErrors/index.js';

const errorMappings = { XXX: createODataErrorFromDiscriminatorValue };

/** OData query options as the generated builders name them (`filter` is sent as `$filter`, …). */
const queryOptions = (names) => Object.fromEntries(names.map((n) => [n, `%24${n}`]));
const template = (path, names) => `{+baseurl}${path}{?${names.map((n) => `%24${n}`).join(',')}}`;

const LIST_OPTIONS = ['count', 'expand', 'filter', 'orderby', 'search', 'select', 'skip', 'top'];
const USER_LIST_OPTIONS = ['count', 'expand', 'filter', 'orderby', 'search', 'select', 'top'];
const ITEM_OPTIONS = ['expand', 'select'];

const get = (uriTemplate, responseBodyFactory, names) => ({
  uriTemplate,
  responseBodyContentType: 'application/json',
  errorMappings,
  adapterMethodName: 'send',
  responseBodyFactory,
  queryParametersMapper: queryOptions(names),
});

const post = (uriTemplate, requestBodySerializer, responseBodyFactory) => ({
  uriTemplate,
  responseBodyContentType: 'application/json',
  errorMappings,
  adapterMethodName: responseBodyFactory ? 'send' : 'sendNoResponseContent',
  ...(responseBodyFactory ? { responseBodyFactory } : {}),
  requestBodyContentType: 'application/json',
  requestBodySerializer,
  requestInformationContentSetMethod: 'setContentFromParsable',
});

const remove = (uriTemplate) => ({ uriTemplate, responseBodyContentType: 'application/json', errorMappings, adapterMethodName: 'sendNoResponseContent' });

/** A directoryObject collection under an item, e.g. /groups/{id}/members. */
const directoryObjects = (path) => ({
  requestsMetadata: { get: get(template(path, LIST_OPTIONS), createDirectoryObjectCollectionResponseFromDiscriminatorValue, LIST_OPTIONS) },
});

const users = {
  requestsMetadata: {
    get: get(template('/users', USER_LIST_OPTIONS), createUserCollectionResponseFromDiscriminatorValue, USER_LIST_OPTIONS),
    post: post(template('/users', USER_LIST_OPTIONS), serializeUser, createUserFromDiscriminatorValue),
  },
  navigationMetadata: {
    byUserId: {
      pathParametersMappings: ['user%2Did'],
      requestsMetadata: {
        get: get(template('/users/{user%2Did}', ITEM_OPTIONS), createUserFromDiscriminatorValue, ITEM_OPTIONS),
        delete: remove('{+baseurl}/users/{user%2Did}'),
      },
      navigationMetadata: {
        memberOf: directoryObjects('/users/{user%2Did}/memberOf'),
        transitiveMemberOf: directoryObjects('/users/{user%2Did}/transitiveMemberOf'),
      },
    },
  },
};

const membersRefTemplate = '{+baseurl}/groups/{group%2Did}/members/$ref{?%24count,%24filter,%24orderby,%24search,%24skip,%24top}';

const groups = {
  requestsMetadata: {
    get: get(template('/groups', LIST_OPTIONS), createGroupCollectionResponseFromDiscriminatorValue, LIST_OPTIONS),
    post: post(template('/groups', LIST_OPTIONS), serializeGroup, createGroupFromDiscriminatorValue),
  },
  navigationMetadata: {
    byGroupId: {
      pathParametersMappings: ['group%2Did'],
      requestsMetadata: {
        get: get(template('/groups/{group%2Did}', ITEM_OPTIONS), createGroupFromDiscriminatorValue, ITEM_OPTIONS),
        delete: remove('{+baseurl}/groups/{group%2Did}'),
      },
      navigationMetadata: {
        members: {
          ...directoryObjects('/groups/{group%2Did}/members'),
          navigationMetadata: {
            ref: { requestsMetadata: { post: post(membersRefTemplate, serializeReferenceCreate) } },
          },
        },
        transitiveMembers: directoryObjects('/groups/{group%2Did}/transitiveMembers'),
      },
    },
  },
};

const policies = {
  navigationMetadata: {
    deviceRegistrationPolicy: {
      requestsMetadata: {
        get: get(template('/policies/deviceRegistrationPolicy', ITEM_OPTIONS), createDeviceRegistrationPolicyFromDiscriminatorValue, ITEM_OPTIONS),
      },
    },
    mobileDeviceManagementPolicies: {
      requestsMetadata: {
        get: get(
          template('/policies/mobileDeviceManagementPolicies', LIST_OPTIONS),
          createMobileDeviceManagementPolicyCollectionResponseFromDiscriminatorValue,
          LIST_OPTIONS,
        ),
      },
      navigationMetadata: {
        byMobileDeviceManagementPolicyId: {
          pathParametersMappings: ['mobileDeviceManagementPolicy%2Did'],
          requestsMetadata: {
            get: get(
              template('/policies/mobileDeviceManagementPolicies/{mobileDeviceManagementPolicy%2Did}', ITEM_OPTIONS),
              createMobileDeviceManagementPolicyFromDiscriminatorValue,
              ITEM_OPTIONS,
            ),
          },
        },
      },
    },
  },
};

extendGraphBetaServiceClient({ users, groups, policies });
