// Azure resources of Account engagement for Microsoft Teams, deployed into one resource group by
// `teamsapp provision` (action arm/deploy) with infra/azure.parameters.json.
//
//   Azure Cosmos DB for NoSQL  database "engagement", containers partitioned by /tenantId
//   App Service (Linux, Node)  one web app serving the bot (/api/messages), the tab (/tab/) and /api/*
//   Azure Bot                  single-tenant registration with the Microsoft Teams channel
//   Key Vault                  the Entra client secret and the bot password, read through
//                              Key Vault references by the web app's managed identity
//   Log Analytics + App Insights  the web app's logs and metrics, and the connection string for telemetry
//
// The web app reaches Cosmos DB with its system-assigned managed identity (Cosmos DB Built-in Data
// Contributor); account keys are disabled by default.

targetScope = 'resourceGroup'

@description('Azure region for every regional resource, and so where the customer data is stored. Restricted to UK, European and North American regions.')
@allowed([
  // United Kingdom
  'uksouth'
  'ukwest'
  // Europe
  'northeurope'
  'westeurope'
  'francecentral'
  'germanywestcentral'
  'swedencentral'
  'switzerlandnorth'
  'norwayeast'
  'italynorth'
  'polandcentral'
  'spaincentral'
  // North America
  'eastus'
  'eastus2'
  'centralus'
  'northcentralus'
  'southcentralus'
  'westcentralus'
  'westus'
  'westus2'
  'westus3'
  'canadacentral'
  'canadaeast'
  'mexicocentral'
])
param location string

@description('Short name the resource names start with: a letter, then letters or digits.')
@minLength(3)
@maxLength(11)
param appName string = 'engagement'

@description('Entra tenant of the Microsoft 365 organization (written by teamsApp/create).')
param m365TenantId string

@description('Client id of the Entra app used for Teams single sign-on and Microsoft Graph (aadApp/create).')
param aadAppClientId string

@secure()
@description('Client secret of that Entra app (aadApp/create). Stored in Key Vault only.')
param aadAppClientSecret string

@description('Client id of the bot\'s Entra app (botAadApp/create).')
param botAadAppClientId string

@secure()
@description('Client secret of the bot\'s Entra app (botAadApp/create). Stored in Key Vault only.')
param botAadAppClientSecret string

@maxLength(42)
@description('Name of the bot shown in the Azure portal.')
param botDisplayName string = 'Account engagement'

@description('App Service plan size. Basic or higher (Always On is required).')
@allowed([
  'B1'
  'B2'
  'B3'
  'S1'
  'S2'
  'S3'
  'P0v3'
  'P1v3'
  'P2v3'
  'P3v3'
])
param webAppSku string = 'B1'

@description('Node.js LTS line of the web app. The product is built and tested on Node 20; Node 20 left upstream support in April 2026, so move to 22-lts once it is tested there.')
@allowed([
  '20-lts'
  '22-lts'
])
param nodeVersion string = '20-lts'

@description('Azure Bot pricing tier; the Microsoft Teams channel is a standard channel, free in both.')
@allowed([
  'F0'
  'S1'
])
param botSku string = 'F0'

@description('Cosmos DB capacity: serverless (pay per request, the default), or provisioned throughput shared by the containers: autoscale or manual.')
@allowed([
  'serverless'
  'autoscale'
  'manual'
])
param cosmosCapacityMode string = 'serverless'

@description('Provisioned throughput of the database in RU/s: the autoscale maximum (1000 or more, in steps of 1000) or the manual RU/s (400 or more). Ignored when serverless.')
@minValue(400)
param cosmosThroughput int = 1000

@description('Refuse Cosmos DB account keys, so only Entra identities (the web app\'s managed identity) reach the data.')
param cosmosDisableKeyAuth bool = true

@description('Turn on Key Vault purge protection (recommended for production; it cannot be turned off again).')
param keyVaultPurgeProtection bool = true

@description('Allow basic-authentication publishing to the SCM site. Off by default: deployment uses Entra sign-in.')
param allowScmBasicAuth bool = false

@description('Days Log Analytics keeps logs and telemetry.')
@minValue(30)
@maxValue(730)
param logRetentionDays int = 30

param tags object = {}

@description('The Teams app id (TEAMS_APP_ID), so cards link straight into the app\'s tab.')
param teamsAppId string

@description('Mailbox the tenant-admin consent request is sent from (optional; see docs/deployment.md).')
param consentSender string = ''

@description('Who receives the tenant-admin consent request (optional).')
param tenantAdminEmail string = ''

var suffix = take(uniqueString(subscription().id, resourceGroup().id, appName), 8)
var baseName = toLower('${appName}-${suffix}')
var databaseName = 'engagement'
var partitionKeyPath = '/tenantId'
var containerNames = [
  'configurations'
  'datasets'
  'runs'
  'results'
  'conversations'
  'alerts'
]
var serverlessCapabilities = [
  {
    name: 'EnableServerless'
  }
]
var autoscaleOptions = {
  autoscaleSettings: {
    maxThroughput: cosmosThroughput
  }
}
var manualOptions = {
  throughput: cosmosThroughput
}
var keyVaultProperties = {
  tenantId: subscription().tenantId
  sku: {
    family: 'A'
    name: 'standard'
  }
  enableRbacAuthorization: true
  enableSoftDelete: true
  softDeleteRetentionInDays: 90
  publicNetworkAccess: 'Enabled'
}
// Purge protection can only be switched on (never set to false), so it is left out when not wanted.
var purgeProtection = {
  enablePurgeProtection: true
}
// Built-in role ids.
var cosmosDataContributorRoleId = '00000000-0000-0000-0000-000000000002'
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'

// ---------------------------------------------------------------------------------------------
// Monitoring

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2023-09-01' = {
  name: '${baseName}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: logRetentionDays
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: '${baseName}-insights'
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    IngestionMode: 'LogAnalytics'
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Cosmos DB for NoSQL

resource cosmos 'Microsoft.DocumentDB/databaseAccounts@2024-11-15' = {
  name: '${baseName}-cosmos'
  location: location
  tags: tags
  kind: 'GlobalDocumentDB'
  properties: {
    databaseAccountOfferType: 'Standard'
    locations: [
      {
        locationName: location
        failoverPriority: 0
        isZoneRedundant: false
      }
    ]
    consistencyPolicy: {
      defaultConsistencyLevel: 'Session'
    }
    capabilities: cosmosCapacityMode == 'serverless' ? serverlessCapabilities : []
    minimalTlsVersion: 'Tls12'
    disableLocalAuth: cosmosDisableKeyAuth
    disableKeyBasedMetadataWriteAccess: true
    enableAutomaticFailover: false
    publicNetworkAccess: 'Enabled'
  }
}

resource database 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases@2024-11-15' = {
  parent: cosmos
  name: databaseName
  properties: {
    resource: {
      id: databaseName
    }
    options: cosmosCapacityMode == 'serverless' ? {} : (cosmosCapacityMode == 'autoscale' ? autoscaleOptions : manualOptions)
  }
}

resource containers 'Microsoft.DocumentDB/databaseAccounts/sqlDatabases/containers@2024-11-15' = [
  for name in containerNames: {
    parent: database
    name: name
    properties: {
      resource: {
        id: name
        partitionKey: {
          paths: [
            partitionKeyPath
          ]
          kind: 'Hash'
          version: 2
        }
      }
    }
  }
]

// ---------------------------------------------------------------------------------------------
// Key Vault: the two client secrets, read by the web app through Key Vault references

resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: toLower('${appName}-kv-${suffix}')
  location: location
  tags: tags
  properties: union(keyVaultProperties, keyVaultPurgeProtection ? purgeProtection : {})
}

resource aadAppSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'aad-app-client-secret'
  properties: {
    value: aadAppClientSecret
    contentType: 'Entra client secret of the Account engagement app'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'bot-password'
  properties: {
    value: botAadAppClientSecret
    contentType: 'Entra client secret of the Account engagement bot'
  }
}

// ---------------------------------------------------------------------------------------------
// App Service: one Node 20 LTS web app on Linux

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${baseName}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: webAppSku
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  name: baseName
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    siteConfig: {
      linuxFxVersion: 'NODE|${nodeVersion}'
      appCommandLine: 'npm run serve'
      alwaysOn: true
      healthCheckPath: '/api/health/live'
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
      http20Enabled: true
    }
  }
}

var siteHost = webApp.properties.defaultHostName
var siteUrl = 'https://${siteHost}'

// Settings live in their own resource so they can use the site's own host name.
resource webAppSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: webApp
  name: 'appsettings'
  properties: {
    APP_MODE: 'production'
    NODE_ENV: 'production'
    LOG_LEVEL: 'info'
    COSMOS_ENDPOINT: cosmos.properties.documentEndpoint
    COSMOS_DATABASE: databaseName
    TEAMS_APP_ID: teamsAppId
    TEAMS_APP_TENANT_ID: m365TenantId
    AAD_APP_CLIENT_ID: aadAppClientId
    SECRET_AAD_APP_CLIENT_SECRET: '@Microsoft.KeyVault(SecretUri=${aadAppSecret.properties.secretUri})'
    BOT_ID: botAadAppClientId
    SECRET_BOT_PASSWORD: '@Microsoft.KeyVault(SecretUri=${botPasswordSecret.properties.secretUri})'
    TAB_ENDPOINT: siteUrl
    CONSENT_SENDER: consentSender
    TENANT_ADMIN_EMAIL: tenantAdminEmail
    APPLICATIONINSIGHTS_CONNECTION_STRING: appInsights.properties.ConnectionString
    // The deployment zip carries the sources and the built tab; App Service installs the
    // dependencies on Linux itself, so native packages match the server's platform.
    SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  }
}

resource ftpBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmBasicAuth 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: webApp
  name: 'scm'
  properties: {
    allow: allowScmBasicAuth
  }
}

// The server's console output, HTTP access logs and platform events go to Log Analytics.
resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: logAnalytics.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
    metrics: [
      {
        category: 'AllMetrics'
        enabled: true
      }
    ]
  }
}

// The web app's identity may read (only) the secrets of this vault...
resource webAppReadsSecrets 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

// ...and read and write the documents of this Cosmos DB account (data plane only).
resource webAppUsesCosmos 'Microsoft.DocumentDB/databaseAccounts/sqlRoleAssignments@2024-11-15' = {
  parent: cosmos
  name: guid(cosmos.id, webApp.id, cosmosDataContributorRoleId)
  properties: {
    roleDefinitionId: '${cosmos.id}/sqlRoleDefinitions/${cosmosDataContributorRoleId}'
    principalId: webApp.identity.principalId
    scope: cosmos.id
  }
}

// ---------------------------------------------------------------------------------------------
// Azure Bot: single-tenant registration pointing at the web app, with the Teams channel

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: '${baseName}-bot'
  location: 'global'
  tags: tags
  kind: 'azurebot'
  sku: {
    name: botSku
  }
  properties: {
    displayName: botDisplayName
    endpoint: '${siteUrl}/api/messages'
    msaAppId: botAadAppClientId
    msaAppType: 'SingleTenant'
    msaAppTenantId: m365TenantId
  }
}

resource teamsChannel 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
      acceptedTerms: true
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Outputs: arm/deploy writes each one to env/.env.<environment> under the same name.

output BOT_AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output BOT_DOMAIN string = siteHost
output BOT_ENDPOINT string = siteUrl
output TAB_DOMAIN string = siteHost
output TAB_ENDPOINT string = siteUrl
output COSMOS_ENDPOINT string = cosmos.properties.documentEndpoint
output AZURE_KEY_VAULT_NAME string = keyVault.name
output AZURE_BOT_SERVICE_NAME string = bot.name
