// Display names shared by the people pages.
export const partnerTypeLabels: Record<string, string> = {
  reseller: 'Reseller',
  msp: 'Managed service provider',
  var: 'Value-added reseller',
  referral: 'Referral partner',
}

/** 'gold' -> 'Gold' */
export const tierLabel = (tier: string) => (tier ? tier[0]!.toUpperCase() + tier.slice(1) : '—')

export const partnerRoleLabels: Record<string, string> = { partner_admin: 'Admin', partner_user: 'User' }

export const segmentLabels: Record<string, string> = { smb: 'Small business', 'mid-market': 'Mid-market', enterprise: 'Enterprise', 'public-sector': 'Public sector' }
