package accounting

// Kind says which rule wrote an entry line: the entries' kind column.
type Kind string

// The kinds of entry line.
const (
	KindCollection Kind = "collection" // a remittance's collection
	KindReturn     Kind = "return"     // a reject or return
	KindFee        Kind = "fee"        // the bank's fee for it
	KindReversal   Kind = "reversal"   // a cancelled remittance's écritures reversed
	// The treasury écritures, which belong to no remittance.
	KindSuspense   Kind = "suspense"   // a credit no remittance explains, to the suspense account
	KindAllocation Kind = "allocation" // vidage du compte d'attente
	KindPayment    Kind = "payment"    // a transfer paying receivables
	KindWriteOff   Kind = "writeoff"   // abandon de créance
)
