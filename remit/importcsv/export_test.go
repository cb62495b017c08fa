package importcsv

// ImportSeeds are FuzzImport's seeds, for TestImportCorpus.
var ImportSeeds = importSeeds
