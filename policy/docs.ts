/** Where each policy's violations link to: the README's policy pack section, as npm shows it. */
export const POLICY_DOCS = "https://www.npmjs.com/package/azure-batch-network#policy-pack";
