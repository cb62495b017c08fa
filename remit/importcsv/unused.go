package importcsv

import (
	"fmt"
	"strings"
)

// unusedColumns counts the lines that give a scheme or a mandate type
// without a mandate, for one warning per column set.
type unusedColumns struct {
	lines map[string]int // columns → lines
	first map[string]int // columns → first line
	order []string
}

func (u *unusedColumns) add(ln *Line) {
	cols := ln.Value.unused
	if cols == "" || len(ln.Problems) > 0 {
		return
	}
	if u.lines == nil {
		u.lines, u.first = map[string]int{}, map[string]int{}
	}
	if u.lines[cols] == 0 {
		u.first[cols] = ln.Num
		u.order = append(u.order, cols)
	}
	u.lines[cols]++
}

func (u *unusedColumns) warnings() []string {
	var out []string
	for _, cols := range u.order {
		n := u.lines[cols]
		lines := fmt.Sprintf("line %d gives", u.first[cols])
		if n > 1 {
			lines = fmt.Sprintf("%d lines (the first: line %d) give", n, u.first[cols])
		}
		column := "column"
		if strings.Contains(cols, " and ") {
			column = "columns"
		}
		out = append(out, fmt.Sprintf("%s %s %s without a mandate: ignored, a mandate's scheme and type come with its RUM "+
			"(column mandate); remit sdd refuses a direct debit without a mandate", lines, column, cols))
	}
	return out
}
