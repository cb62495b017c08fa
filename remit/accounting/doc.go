// Package accounting is remit's bookkeeping: the entry lines as exported,
// and the FEC and CSV writers of the entries recorded.
package accounting
