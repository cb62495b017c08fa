"""remitbench's peer: python-sepaxml writing N SEPA direct debits.

Usage: python3 sepaxml_driver.py SEPAXML_CHECKOUT N OUT

The debits are those remitbench's shape "one" gives remit, generated here in
memory (no database, no CSV): one per customer and mandate, one customer in
ten on B2B (in a file of its own, OUT.B2B.xml, as remit writes one per
scheme; the others in OUT.CORE.xml), FRST for the mandates never collected
(one in ten) and RCUR for the others, due on days 1 to 28 of December 2026
(moved to the next TARGET2 business day, as remit does), structured
addresses folded to the EPC character set by text_unidecode (sepaxml folds
the name and the remittance information itself), pain.008.001.08. `remit
verify` finds the files sound but for their creation time, which sepaxml
takes from the real clock (remitbench's debits are dated from REMIT_NOW).
The files are written as sepaxml exports them, without its XSD validation
(which needs xmlschema; remit's sdd does not validate against the XSD
either). It prints "transactions=N bytes=B", the transactions counted in
the files written.
"""
import datetime
import sys


def rib_key(bank, branch, account):
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97


def iban(c):
    account = "%011d" % (10000000 + c)
    bban = "30004" + "00828" + account + "%02d" % rib_key("30004", "00828", account)
    check = 98 - int(bban + "152700") % 97  # F = 15, R = 27, then "00"
    return "FR%02d%s" % (check, bban)


def business_day(day):
    """The day, or the next TARGET2 business day (December and January holidays only: the debits fall in December)."""
    while day.weekday() >= 5 or (day.month, day.day) in ((12, 25), (12, 26), (1, 1)):
        day += datetime.timedelta(days=1)
    return day


def main():
    checkout, n, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    sys.path.insert(0, checkout)
    from sepaxml import SepaDD
    from text_unidecode import unidecode

    def creditor(instrument):
        return {
            "name": "ACME OUTILLAGE SARL",
            "IBAN": "FR7630004008280001012345691",
            "BIC": "BNPAFRPP",
            "batch": True,
            "creditor_id": "FR72ZZZ123456",
            "currency": "EUR",
            "instrument": instrument,
            "address": {"street_name": "Rue de la Paix", "building_number": "12", "postcode": "75002",
                        "town": "Paris", "country": "FR"},
        }

    files = {s: SepaDD(creditor(s), schema="pain.008.001.08", clean=True) for s in ("CORE", "B2B")}
    signed = datetime.date(2024, 1, 15)
    for i in range(n):
        c = i  # one receivable per customer
        due = business_day(datetime.date(2026, 12, 1 + i % 28))
        amount = 1000 + (i * 7919) % 899000
        files["B2B" if c % 10 == 0 else "CORE"].add_payment({
            "name": "Client %d SARL" % c,
            "IBAN": iban(c),
            "BIC": "BNPAFRPP",
            "amount": amount,
            "type": "FRST" if c % 10 == 9 else "RCUR",
            "collection_date": due,
            "mandate_id": "RUM-%07d" % c,
            "mandate_date": signed,
            "description": "F%08d Facture %d" % (i, i),
            "endtoend_id": "F%08d" % i,
            "address": {"street_name": unidecode("Rue de la République"), "building_number": str(1 + c % 200),
                        "postcode": unidecode("69002"), "town": unidecode("Lyon"), "country": "FR"},
        })
    transactions, size = 0, 0
    for scheme, dd in files.items():
        if not dd._batches:
            continue
        data = dd.export(validate=False)
        with open("%s.%s.xml" % (out, scheme), "wb") as f:
            f.write(data)
        transactions += data.count(b"<DrctDbtTxInf>")
        size += len(data)
    print("transactions=%d bytes=%d" % (transactions, size))


if __name__ == "__main__":
    main()
