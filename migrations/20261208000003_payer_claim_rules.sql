-- How each payer wants its claims filed (SBR09 of the 837P, box 1 of the CMS-1500): commercial
-- plans, Blue Cross, HMO/PPO/POS/EPO, Medicare Advantage, Medicare Part B, Medicaid, TRICARE,
-- CHAMPVA, other federal programs, workers' compensation.
ALTER TABLE payers ADD COLUMN claim_filing_indicator text NOT NULL DEFAULT 'CI'
    CHECK (claim_filing_indicator IN ('CI', 'BL', 'HM', '12', '13', '14', '16', 'MB', 'MC', 'CH', 'VA', 'OF', 'WC'));
