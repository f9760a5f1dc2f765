// The first of two deployments: the managed identity netpuls runs as, and a container
// registry it pulls from with that identity (AcrPull). The image is built into the registry
// (`az acr build`) before infra/main.bicep creates the container app that runs it.
//   https://learn.microsoft.com/azure/templates/microsoft.managedidentity/userassignedidentities
//   https://learn.microsoft.com/azure/templates/microsoft.containerregistry/registries
//   https://learn.microsoft.com/azure/container-apps/managed-identity-image-pull

targetScope = 'resourceGroup'

@description('The same baseName as infra/main.bicep: lowercase letters and digits, 3 to 12.')
@minLength(3)
@maxLength(12)
param baseName string

param location string = resourceGroup().location

param tags object = {}

// Built-in role AcrPull: https://learn.microsoft.com/azure/role-based-access-control/built-in-roles
var acrPullRole = '7f951dda-4ed3-4680-a7ca-43fe172d538d'

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${baseName}-id'
  location: location
  tags: tags
}

resource registry 'Microsoft.ContainerRegistry/registries@2023-07-01' = {
  name: 'cr${baseName}${take(uniqueString(resourceGroup().id, baseName), 8)}'
  location: location
  tags: tags
  sku: { name: 'Basic' }
  properties: { adminUserEnabled: false }
}

resource pull 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(registry.id, identity.id, acrPullRole)
  scope: registry
  properties: {
    principalId: identity.properties.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', acrPullRole)
  }
}

output REGISTRY_NAME string = registry.name
output REGISTRY_SERVER string = registry.properties.loginServer
output IDENTITY_CLIENT_ID string = identity.properties.clientId
