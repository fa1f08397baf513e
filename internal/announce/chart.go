package announce

// chartWidth is the width of the longest bar of the report chart.
const chartWidth = 300

// Bar is one bar of the report's server-rendered SVG chart, with its
// positions computed here: templates have no arithmetic.
type Bar struct {
	Key                  string // i18n key of the label
	Value                int
	Width                int // of chartWidth
	TextY, RectY, ValueX int
}

// Bars are the chart of rep: targeted, read and acknowledged.
func Bars(rep Report) []Bar {
	bars := []Bar{{Key: "ann.targeted", Value: rep.Targeted}, {Key: "ann.read", Value: rep.Read}, {Key: "ann.acked", Value: rep.Acked}}
	for i := range bars {
		bars[i].TextY, bars[i].RectY = i*28+17, i*28+4
		if rep.Targeted > 0 {
			bars[i].Width = bars[i].Value * chartWidth / rep.Targeted
		}
		bars[i].ValueX = bars[i].Width + 146
	}
	return bars
}
