export default function EquityView() {
  return <p>À venir</p>;
}
