// netpuls on Azure: a single-tenant Azure Bot (or one on a user-assigned managed identity)
// with its Teams channel, Azure Container Apps (the bot, and a job that runs the database
// migrations), Azure Database for PostgreSQL flexible server, and Key Vault holding every
// secret the container reads. docs/deploy.md walks an administrator through it.
//
// Resource shapes and API versions follow the Azure template reference:
//   https://learn.microsoft.com/azure/templates/microsoft.botservice/botservices
//   https://learn.microsoft.com/azure/templates/microsoft.app/containerapps
//   https://learn.microsoft.com/azure/templates/microsoft.app/jobs
//   https://learn.microsoft.com/azure/templates/microsoft.dbforpostgresql/flexibleservers
//   https://learn.microsoft.com/azure/templates/microsoft.keyvault/vaults/secrets
// Key Vault references in Container Apps: https://learn.microsoft.com/azure/container-apps/manage-secrets
// Health probes: https://learn.microsoft.com/azure/container-apps/health-probes

targetScope = 'resourceGroup'

@description('Short name every resource name starts with: lowercase letters and digits, 3 to 12.')
@minLength(3)
@maxLength(12)
param baseName string

@description('Azure region of everything but the bot (which is global).')
param location string = resourceGroup().location

@description('How the bot authenticates: SingleTenant (an Entra app registration with a client secret) or UserAssignedMSI (the managed identity below, no secret).')
@allowed(['SingleTenant', 'UserAssignedMSI'])
param botAppType string = 'SingleTenant'

@description('SingleTenant: the app registration\'s application (client) id. Ignored for UserAssignedMSI.')
param botAppId string = ''

@description('SingleTenant: the app registration\'s client secret. Stored in Key Vault only.')
@secure()
param botAppPassword string = ''

@description('The Entra tenant of the bot (and of the organisation that uses it).')
param botTenantId string = tenant().tenantId

@description('Container image of netpuls, for example myregistry.azurecr.io/netpuls:1.0.0 (see the Dockerfile).')
param containerImage string

@description('Login server of the registry holding the image (infra/registry.bicep\'s REGISTRY_SERVER); pulled with the managed identity. Empty: a public image.')
param registryServer string = ''

@description('NETPULS_SIGNING_KEY: at least 32 random bytes, e.g. `openssl rand -base64 48`.')
@secure()
@minLength(32)
param signingKey string

@description('NETPULS_SIGNING_KEY_PREVIOUS: the key before the last rotation, so links it signed stay valid until they expire. Empty when not rotating.')
@secure()
param signingKeyPrevious string = ''

@description('PostgreSQL administrator login.')
param postgresAdminLogin string = 'netpuls'

@description('PostgreSQL administrator password (8 to 128 characters; Azure\'s complexity rules apply).')
@secure()
@minLength(8)
param postgresAdminPassword string

@description('PostgreSQL major version.')
param postgresVersion string = '16'

@description('Days of PostgreSQL point-in-time backups (7 to 35).')
@minValue(7)
@maxValue(35)
param postgresBackupRetentionDays int = 14

@description('Microsoft Graph app-only credentials (material filing, calendar events, roster). Empty: the bot\'s own registration is used.')
param graphClientId string = ''

@description('Secret for graphClientId. Empty with graphClientId empty: the bot\'s own secret.')
@secure()
param graphClientSecret string = ''

@description('NETPULS_GRAPH_ORGANISER_MAILBOX: the mailbox that organises meeting events. Empty: no Outlook events.')
param graphOrganiserMailbox string = ''

@description('NETPULS_TAB_APP_ID: the app registration whose API the tab\'s Teams SSO tokens are for (docs/deploy.md). Empty: the bot\'s own registration; with UserAssignedMSI a registration of its own is needed.')
param tabAppId string = ''

@description('Manifest: the developer name shown in Teams (NETPULS_DEVELOPER_NAME).')
param developerName string = ''

@description('Manifest: the developer\'s website (NETPULS_WEBSITE_URL).')
param websiteUrl string = ''

@description('Manifest: the privacy statement (NETPULS_PRIVACY_URL).')
param privacyUrl string = ''

@description('Manifest: the terms of use (NETPULS_TERMS_URL).')
param termsUrl string = ''

@description('NETPULS_DEFAULT_LANGUAGE: en, da or sv.')
@allowed(['en', 'da', 'sv'])
param defaultLanguage string = 'en'

@description('Azure Bot pricing tier: F0 (free, standard channels such as Teams are free on both) or S1.')
@allowed(['F0', 'S1'])
param botSku string = 'F0'

@description('Replicas of the bot. Several may share the database; each runs the scheduler and the database decides who does what.')
@minValue(1)
@maxValue(10)
param replicas int = 1

param tags object = {}

var suffix = uniqueString(resourceGroup().id, baseName)
var appName = '${baseName}-bot'
var usesMsi = botAppType == 'UserAssignedMSI'
var microsoftAppId = usesMsi ? identity.properties.clientId : botAppId
// Container Apps gives an app the address <app>.<environment default domain>; the bot's
// messaging endpoint and PUBLIC_BASE_URL are that address.
var publicBaseUrl = 'https://${appName}.${environment.properties.defaultDomain}'
var databaseUrl = 'postgresql+asyncpg://${uriComponent(postgresAdminLogin)}:${uriComponent(postgresAdminPassword)}@${postgres.properties.fullyQualifiedDomainName}:5432/netpuls?ssl=require'

// Built-in role ids: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var keyVaultSecretsUserRole = '4633458b-17de-408a-b874-0445c86b69e6'

// --- identity (infra/registry.bicep made it): pulls the image, reads Key Vault, and for
// UserAssignedMSI is the bot itself --------------------------------------------------------
resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' existing = {
  name: '${baseName}-id'
}

// --- Key Vault: every secret the container reads -------------------------------------------
resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: 'kv${baseName}${take(suffix, 8)}'
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
  }
}

resource vaultReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, identity.id, keyVaultSecretsUserRole)
  scope: vault
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRole)
  }
}

resource secretAppPassword 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!usesMsi) {
  parent: vault
  name: 'microsoft-app-password'
  properties: { value: botAppPassword }
}

resource secretSigningKey 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'netpuls-signing-key'
  properties: { value: signingKey }
}

resource secretSigningKeyPrevious 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(signingKeyPrevious)) {
  parent: vault
  name: 'netpuls-signing-key-previous'
  properties: { value: signingKeyPrevious }
}

resource secretDatabaseUrl 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: vault
  name: 'database-url'
  properties: { value: databaseUrl }
}

resource secretGraphClient 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (!empty(graphClientSecret)) {
  parent: vault
  name: 'graph-client-secret'
  properties: { value: graphClientSecret }
}

// --- PostgreSQL flexible server -----------------------------------------------------------
resource postgres 'Microsoft.DBforPostgreSQL/flexibleServers@2022-12-01' = {
  name: '${baseName}-pg-${take(suffix, 6)}'
  location: location
  tags: tags
  sku: { name: 'Standard_B1ms', tier: 'Burstable' }
  properties: {
    version: postgresVersion
    administratorLogin: postgresAdminLogin
    administratorLoginPassword: postgresAdminPassword
    storage: { storageSizeGB: 32 }
    backup: {
      backupRetentionDays: postgresBackupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: { mode: 'Disabled' }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2022-12-01' = {
  parent: postgres
  name: 'netpuls'
  properties: { charset: 'UTF8', collation: 'en_US.utf8' }
}

// 0.0.0.0 to 0.0.0.0 is the documented rule for "allow public access from any Azure service":
// Container Apps on the consumption plan has no fixed outbound address. Put both in a virtual
// network with private access for a stricter setup.
resource postgresFromAzure 'Microsoft.DBforPostgreSQL/flexibleServers/firewallRules@2022-12-01' = {
  parent: postgres
  name: 'AllowAllAzureServicesAndResourcesWithinAzureIps'
  properties: { startIpAddress: '0.0.0.0', endIpAddress: '0.0.0.0' }
}

// --- Container Apps -----------------------------------------------------------------------
resource logs 'Microsoft.OperationalInsights/workspaces@2022-10-01' = {
  name: '${baseName}-logs'
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: 30
  }
}

resource environment 'Microsoft.App/managedEnvironments@2024-03-01' = {
  name: '${baseName}-env'
  location: location
  tags: tags
  properties: {
    appLogsConfiguration: {
      destination: 'log-analytics'
      logAnalyticsConfiguration: {
        customerId: logs.properties.customerId
        sharedKey: logs.listKeys().primarySharedKey
      }
    }
  }
}

// Secrets are Key Vault references read with the managed identity; the values never pass
// through the Container Apps resource.
var vaultSecrets = concat(
  [
    { name: 'netpuls-signing-key', keyVaultUrl: secretSigningKey.properties.secretUri, identity: identity.id }
    { name: 'database-url', keyVaultUrl: secretDatabaseUrl.properties.secretUri, identity: identity.id }
  ],
  usesMsi ? [] : [
    { name: 'microsoft-app-password', keyVaultUrl: secretAppPassword.properties.secretUri, identity: identity.id }
  ],
  empty(signingKeyPrevious) ? [] : [
    { name: 'netpuls-signing-key-previous', keyVaultUrl: secretSigningKeyPrevious.properties.secretUri, identity: identity.id }
  ],
  empty(graphClientSecret) ? [] : [
    { name: 'graph-client-secret', keyVaultUrl: secretGraphClient.properties.secretUri, identity: identity.id }
  ]
)

var secretEnv = concat(
  [
    { name: 'NETPULS_SIGNING_KEY', secretRef: 'netpuls-signing-key' }
    { name: 'DATABASE_URL', secretRef: 'database-url' }
  ],
  usesMsi ? [] : [{ name: 'MicrosoftAppPassword', secretRef: 'microsoft-app-password' }],
  empty(signingKeyPrevious) ? [] : [{ name: 'NETPULS_SIGNING_KEY_PREVIOUS', secretRef: 'netpuls-signing-key-previous' }],
  empty(graphClientSecret) ? [] : [{ name: 'GRAPH_CLIENT_SECRET', secretRef: 'graph-client-secret' }]
)

var plainEnv = [
  { name: 'MicrosoftAppId', value: microsoftAppId }
  { name: 'MicrosoftAppType', value: botAppType }
  { name: 'MicrosoftAppTenantId', value: botTenantId }
  { name: 'PUBLIC_BASE_URL', value: publicBaseUrl }
  { name: 'HOST', value: '0.0.0.0' }
  { name: 'PORT', value: '3978' }
  { name: 'NETPULS_DEFAULT_LANGUAGE', value: defaultLanguage }
  { name: 'NETPULS_GRAPH_ORGANISER_MAILBOX', value: graphOrganiserMailbox }
  { name: 'GRAPH_CLIENT_ID', value: graphClientId }
  { name: 'NETPULS_TAB_APP_ID', value: tabAppId }
  { name: 'NETPULS_DEVELOPER_NAME', value: developerName }
  { name: 'NETPULS_WEBSITE_URL', value: websiteUrl }
  { name: 'NETPULS_PRIVACY_URL', value: privacyUrl }
  { name: 'NETPULS_TERMS_URL', value: termsUrl }
]

var registries = empty(registryServer) ? [] : [{ server: registryServer, identity: identity.id }]

resource app 'Microsoft.App/containerApps@2024-03-01' = {
  name: appName
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [vaultReader]
  properties: {
    environmentId: environment.id
    configuration: {
      activeRevisionsMode: 'Single'
      ingress: {
        external: true
        targetPort: 3978
        transport: 'auto'
        allowInsecure: false
      }
      secrets: vaultSecrets
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'netpuls'
          image: containerImage
          command: ['netpuls', 'serve']
          // Unset optional settings stay unset, so netpuls's defaults apply.
          env: concat(filter(plainEnv, entry => !empty(entry.value)), secretEnv)
          resources: { cpu: json('0.5'), memory: '1Gi' }
          probes: [
            {
              type: 'Liveness'
              httpGet: { path: '/healthz', port: 3978 }
              initialDelaySeconds: 10
              periodSeconds: 30
              failureThreshold: 3
            }
            {
              type: 'Readiness'
              httpGet: { path: '/readyz', port: 3978 }
              initialDelaySeconds: 5
              periodSeconds: 15
              failureThreshold: 3
            }
          ]
        }
      ]
      scale: { minReplicas: replicas, maxReplicas: replicas }
    }
  }
}

// `netpuls db upgrade` before a new image serves: start it with
// `az containerapp job start --name <job> --resource-group <rg> --image <image>`
// (scripts/azure_release.sh does, and waits for it).
resource migrate 'Microsoft.App/jobs@2024-03-01' = {
  name: '${baseName}-migrate'
  location: location
  tags: tags
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: { '${identity.id}': {} }
  }
  dependsOn: [vaultReader]
  properties: {
    environmentId: environment.id
    configuration: {
      triggerType: 'Manual'
      replicaTimeout: 900
      replicaRetryLimit: 0
      manualTriggerConfig: { parallelism: 1, replicaCompletionCount: 1 }
      secrets: [
        { name: 'database-url', keyVaultUrl: secretDatabaseUrl.properties.secretUri, identity: identity.id }
      ]
      registries: registries
    }
    template: {
      containers: [
        {
          name: 'migrate'
          image: containerImage
          command: ['netpuls', 'db', 'upgrade']
          env: [{ name: 'DATABASE_URL', secretRef: 'database-url' }]
          resources: { cpu: json('0.5'), memory: '1Gi' }
        }
      ]
    }
  }
}

// --- the Azure Bot and its Teams channel --------------------------------------------------
resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-${take(suffix, 6)}'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: { name: botSku }
  properties: {
    displayName: 'netpuls'
    endpoint: '${publicBaseUrl}/api/messages'
    msaAppType: botAppType
    msaAppId: microsoftAppId
    msaAppTenantId: botTenantId
    msaAppMSIResourceId: usesMsi ? identity.id : null
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: { isEnabled: true }
  }
}

output BOT_ID string = microsoftAppId
output BOT_DOMAIN string = '${appName}.${environment.properties.defaultDomain}'
output PUBLIC_BASE_URL string = publicBaseUrl
output CONTAINER_APP_NAME string = app.name
output MIGRATION_JOB_NAME string = migrate.name
output KEY_VAULT_NAME string = vault.name
output POSTGRES_SERVER string = postgres.properties.fullyQualifiedDomainName
output IDENTITY_CLIENT_ID string = identity.properties.clientId
output IDENTITY_PRINCIPAL_ID string = identity.properties.principalId
