import { renderChartSvg } from './vega';

describe('renderChartSvg', () => {
  it('renders a Vega-Lite spec to SVG with its marks and axis titles', async () => {
    const svg = await renderChartSvg({
      data: {
        values: [
          { group: 'filled', rate: 0.2 },
          { group: 'outlined', rate: 0.6 },
        ],
      },
      mark: 'bar',
      encoding: {
        x: { field: 'group', type: 'nominal', title: 'perceived group' },
        y: { field: 'rate', type: 'quantitative', title: 'flag rate' },
      },
    });
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('perceived group');
    expect(svg).toContain('flag rate');
    // one bar per data row
    expect(svg.match(/aria-roledescription="bar"/g)).toHaveLength(2);
  });
});
