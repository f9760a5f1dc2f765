"""Microsoft Graph on msgraph-sdk: the only package importing msgraph, kiota, azure.identity."""
