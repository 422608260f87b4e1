export default function DevicesView() {
  return <p>À venir</p>;
}
